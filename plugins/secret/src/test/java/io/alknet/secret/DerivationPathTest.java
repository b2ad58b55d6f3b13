package io.alknet.secret;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DerivationPathTest {

    @Test
    void parsesEverySpellingOfHardenedAndPrintsTheCanonicalOne() {
        assertThat(DerivationPath.parse("m/74'/0h/1H/2147483647'")).hasToString("m/74'/0'/1'/2147483647'");
        assertThat(DerivationPath.parse("m/44'/60'/0'/0/0").isFullyHardened()).isFalse();
        assertThat(DerivationPath.parse("m")).isEqualTo(DerivationPath.master());
        assertThat(DerivationPath.parse("m/74'/2'/0'/5'").startsWith(KeyPaths.ENCRYPTION)).isTrue();
        assertThat(KeyPaths.encryptionKeyVersion(DerivationPath.parse("m/74'/2'/0'/5'"))).isEqualTo(5);
        assertThat(KeyPaths.encryptionKeyVersion(DerivationPath.parse("m/74'/2'/0'/5"))).isEqualTo(-1);
        assertThat(DerivationPath.parse("m/1/2'").index(1)).isEqualTo(2 | DerivationPath.HARDENED);
    }

    @Test
    void aMalformedPathGetsOneClearError() {
        for (String bad : new String[] {"", "74'/0'", "m/", "m//1", "m/-1", "m/2147483648", "m/1''", "m/x", "m/01", "M/1", "m/1/"}) {
            assertThatThrownBy(() -> DerivationPath.parse(bad)).as("'%s'", bad).isInstanceOfSatisfying(SecretException.class, e -> {
                assertThat(e.code()).isEqualTo(SecretException.INVALID_PATH);
                assertThat(e.getMessage()).startsWith("INVALID_PATH: derivation path '" + bad + "' is malformed: ").endsWith("(e.g. m/74'/0'/0'/0')");
            });
        }
        assertThatThrownBy(() -> DerivationPath.parse("m" + "/1".repeat(256))).hasMessageContaining("deeper than 255");
    }
}
