package io.alknet.cli.logging;

/**
 * Escapes every character that could end a log line or change how a terminal or a log reader shows it:
 * C0 controls (tab, CR and LF included), DEL, C1 controls (NEL among them), the Unicode line and paragraph
 * separators, and the invisible format characters (bidirectional overrides, zero-width characters). Escaped
 * as {@code \n}, {@code \r}, {@code \t}, {@code \xNN} or {@code \}{@code uNNNN}; everything else, the backslash
 * included, is kept, so ordinary text reads as before. The aim is that text a peer chose can never start a
 * line of its own (fail2ban reads a log line by line), not that the escaping can be reversed.
 */
public final class ControlCharacters {

    private ControlCharacters() {
    }

    /** {@code text} with every such character escaped; {@code null} stays {@code null}. */
    public static String escape(String text) {
        if (text == null) {
            return null;
        }
        int first = firstToEscape(text);
        if (first < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, first);
        text.codePoints().skip(text.codePointCount(0, first)).forEach(codePoint -> append(out, codePoint));
        return out.toString();
    }

    private static int firstToEscape(String text) {
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            if (needsEscape(codePoint)) {
                return i;
            }
            i += Character.charCount(codePoint);
        }
        return -1;
    }

    static boolean needsEscape(int codePoint) {
        if (Character.isISOControl(codePoint)) {
            return true;
        }
        int type = Character.getType(codePoint);
        return type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR || type == Character.FORMAT;
    }

    private static void append(StringBuilder out, int codePoint) {
        if (!needsEscape(codePoint)) {
            out.appendCodePoint(codePoint);
            return;
        }
        switch (codePoint) {
            case '\n' -> out.append("\\n");
            case '\r' -> out.append("\\r");
            case '\t' -> out.append("\\t");
            default -> {
                if (codePoint <= 0xff) {
                    out.append(String.format("\\x%02x", codePoint));
                } else if (codePoint <= 0xffff) {
                    out.append(String.format("\\u%04x", codePoint));
                } else {
                    out.append(String.format("\\U%08x", codePoint));
                }
            }
        }
    }
}
