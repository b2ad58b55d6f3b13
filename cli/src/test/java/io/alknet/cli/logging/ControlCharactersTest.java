package io.alknet.cli.logging;

import org.junit.jupiter.api.Test;

import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class ControlCharactersTest {

    @Test
    void escapesEveryCharacterThatBreaksOrHidesALine() {
        assertThat(ControlCharacters.escape("a\nb")).isEqualTo("a\\nb");
        assertThat(ControlCharacters.escape("a\rb")).isEqualTo("a\\rb");
        assertThat(ControlCharacters.escape("a\r\nb")).isEqualTo("a\\r\\nb");
        assertThat(ControlCharacters.escape("a\tb")).isEqualTo("a\\tb");
        assertThat(ControlCharacters.escape("\u001b[2K")).as("ESC").isEqualTo("\\x1b[2K");
        assertThat(ControlCharacters.escape("\u0000\u0007\u0008\u000b\u000c\u001c\u001d\u001e\u001f\u007f"))
                .as("other C0 controls and DEL").isEqualTo("\\x00\\x07\\x08\\x0b\\x0c\\x1c\\x1d\\x1e\\x1f\\x7f");
        assertThat(ControlCharacters.escape("\u0080\u0085\u008d\u009b\u009f")).as("C1 controls, NEL among them")
                .isEqualTo("\\x80\\x85\\x8d\\x9b\\x9f");
        assertThat(ControlCharacters.escape("a\u2028b\u2029c")).as("Unicode line and paragraph separators")
                .isEqualTo("a\\u2028b\\u2029c");
        assertThat(ControlCharacters.escape("\u202e\u2066\u200b\ufeff")).as("bidirectional overrides and invisible characters")
                .isEqualTo("\\u202e\\u2066\\u200b\\ufeff");
        assertThat(ControlCharacters.escape("x\udb40\udc01y")).as("a format character outside the BMP (U+E0001)")
                .isEqualTo("x\\U000e0001y");
    }

    @Test
    void keepsPrintableTextAsItIs() {
        String text = "auth.failure remote_addr=203.0.113.5 user=Grüße-日本 path=C:\\temp \"quoted\" 🙂";
        assertThat(ControlCharacters.escape(text)).isSameAs(text);
        assertThat(ControlCharacters.escape("")).isEmpty();
        assertThat(ControlCharacters.escape(null)).isNull();
    }

    @Test
    void noCodePointSurvivesThatALineReaderSplitsOn() {
        // Java's '.' stops at \n, \r, U+0085, U+2028 and U+2029; Python's splitlines (fail2ban is Python) also at
        // \v, \f and \x1c-\x1e: none of them may be left after escaping, whatever the code point
        Pattern oneLine = Pattern.compile(".*");
        for (int codePoint = 0; codePoint <= Character.MAX_CODE_POINT; codePoint++) {
            if (Character.getType(codePoint) == Character.SURROGATE) {
                continue;
            }
            String escaped = ControlCharacters.escape("a" + Character.toString(codePoint) + "b");
            if (!oneLine.matcher(escaped).matches() || escaped.chars().anyMatch(c -> c < 0x20 || (c >= 0x7f && c <= 0x9f))) {
                throw new AssertionError("U+" + Integer.toHexString(codePoint) + " survives as " + escaped);
            }
        }
    }
}
