package io.alknet.interfaces.ssh.internal;

import io.alknet.api.AlknetException;
import io.alknet.interfaces.ssh.internal.cipher.ChaCha20Poly1305Cipher;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AlgorithmsTest {

    @Test
    void chachaIsAlknetsCipherUnderOpenSshsName() {
        assertThat(Algorithms.ciphers(List.of("chacha20-poly1305"))).containsExactly(ChaCha20Poly1305Cipher.FACTORY);
        assertThat(Algorithms.ciphers(List.of("chacha20-poly1305@openssh.com")).getFirst().create())
                .isInstanceOf(ChaCha20Poly1305Cipher.class);
        assertThat(Algorithms.ciphers(List.of()))
                .contains(ChaCha20Poly1305Cipher.FACTORY).doesNotContain(BuiltinCiphers.cc20p1305_openssh)
                .extracting(NamedResource::getName).containsExactlyElementsOf(Algorithms.DEFAULT_CIPHERS);
    }

    @Test
    void anOutdatedCipherIsRefusedWithTheChoices() {
        assertThatThrownBy(() -> Algorithms.ciphers(List.of("aes128-cbc")))
                .isInstanceOf(AlknetException.class).hasMessageContaining("chacha20-poly1305@openssh.com");
    }

    /** docs/security.md lists every cipher and MAC offered, by its wire name. */
    @Test
    void theSecurityPageListsWhatIsOffered() throws Exception {
        String page = java.nio.file.Files.readString(java.nio.file.Path.of("..", "..", "docs", "security.md"));
        for (String cipher : Algorithms.DEFAULT_CIPHERS) {
            assertThat(page).as("docs/security.md names the cipher").contains("`" + cipher + "`");
        }
        for (NamedResource mac : Algorithms.macs()) {
            assertThat(page).as("docs/security.md names the MAC").contains("`" + mac.getName() + "`");
        }
        for (NamedResource kex : Algorithms.keyExchanges()) {
            assertThat(page).as("docs/security.md names the key exchange").contains("`" + kex.getName() + "`");
        }
    }
}
