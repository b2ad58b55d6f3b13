package io.alknet.kernel.internal;

/**
 * Makes peer-supplied values safe inside {@code key=value} log lines: no spaces, no {@code =}, no control
 * characters (so a crafted user name cannot forge a second {@code remote_addr=} for fail2ban), bounded length.
 */
final class LogFields {

    private static final int MAX = 64;

    private LogFields() {
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
