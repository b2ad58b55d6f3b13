package io.alknet.secret;

import org.junit.jupiter.api.Test;

import java.security.SecureRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Generating and reading mnemonics; every malformed one gets one clear error that never repeats a word of it. */
class MnemonicTest {

    private static void assertInvalid(String text, String message) {
        assertThatThrownBy(() -> Mnemonic.parse(text.toCharArray())).isInstanceOfSatisfying(SecretException.class, e -> {
            assertThat(e.code()).isEqualTo(SecretException.INVALID_MNEMONIC);
            assertThat(e.getMessage()).contains(message);
        });
    }

    @Test
    void generatedMnemonicsOf12And24WordsReadBackToTheirEntropy() {
        SecureRandom random = new SecureRandom();
        for (int words : new int[] {12, 24}) {
            try (Mnemonic generated = Mnemonic.generate(words, random); Mnemonic read = Mnemonic.parse(generated.toChars())) {
                assertThat(generated.size()).isEqualTo(words);
                assertThat(new String(generated.toChars()).split(" ")).hasSize(words);
                assertThat(generated.entropy()).hasSize(words == 12 ? 16 : 32).isEqualTo(read.entropy());
            }
        }
        assertThatThrownBy(() -> Mnemonic.generate(13, random)).isInstanceOf(SecretException.class).hasMessageContaining("12, 15, 18, 21 or 24");
    }

    @Test
    void readingToleratesCaseAndWhiteSpaceAndGivesTheCanonicalSentence() {
        String messy = "  Abandon\tabandon ABANDON abandon abandon abandon\nabandon abandon abandon abandon abandon   about \n";
        try (Mnemonic mnemonic = Mnemonic.parse(messy.toCharArray())) {
            assertThat(new String(mnemonic.toChars())).isEqualTo(AlknetVectorsTest.MNEMONIC);
        }
    }

    @Test
    void anUnknownWordIsNamedByItsPositionNotItsText() {
        assertThatThrownBy(() -> Mnemonic.parse("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandn about"
                .toCharArray())).isInstanceOfSatisfying(SecretException.class, e -> {
                    assertThat(e.code()).isEqualTo(SecretException.INVALID_MNEMONIC);
                    assertThat(e.getMessage()).isEqualTo("INVALID_MNEMONIC: word 11 of the mnemonic is not in the BIP39 English word list; "
                            + "check its spelling").doesNotContain("abandn");
                });
        assertInvalid("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon ab0ut", "word 12");
    }

    @Test
    void aWrongChecksumOrWordCountIsRefused() {
        assertInvalid("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon",
                "checksum does not match");
        assertInvalid("about abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon",
                "checksum does not match");
        assertInvalid("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about", "got 11");
        assertInvalid("", "got 0");
        assertInvalid(("abandon ".repeat(30)), "more than 24");
    }
}
