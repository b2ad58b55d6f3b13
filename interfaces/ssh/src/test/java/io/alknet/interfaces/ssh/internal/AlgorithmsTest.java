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
}
