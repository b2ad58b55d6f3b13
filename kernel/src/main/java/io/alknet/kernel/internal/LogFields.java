package io.alknet.kernel.internal;

/**
 * Makes peer-supplied values safe inside {@code key=value} log lines: no spaces, no {@code =}, no control
 * characters (so a crafted user name cannot forge a second {@code remote_addr=} for fail2ban), bounded length.
 */
final class LogFields {

    private static final int MAX = 64;

    private LogFields() {
    }

    /**
     * A human-readable text (a rule name, a reason) as one double-quoted field; quotes, backslashes and
     * control characters are escaped so the line stays one line and parseable.
     */
    static String quoted(String value) {
        StringBuilder out = new StringBuilder("\"");
        String text = value == null ? "" : value;
        for (int i = 0; i < text.length() && i < 200; i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    static String safe(String value) {
        if (value == null || value.isEmpty()) {
            return "-";
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < value.length() && out.length() < MAX; i++) {
            char c = value.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-' || c == '@' || c == ':' || c == '+' || c == '/'
                    || c == '(' || c == ')') {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", (int) c & 0xff));
            }
        }
        if (value.length() > MAX) {
            out.append("...");
        }
        return out.toString();
    }
}
