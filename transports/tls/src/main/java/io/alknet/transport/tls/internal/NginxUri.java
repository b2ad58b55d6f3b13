package io.alknet.transport.tls.internal;

import java.util.Arrays;

/**
 * The path of a request target as nginx 1.22 derives it ({@code ngx_http_parse_complex_uri}, with
 * {@code merge_slashes on}): percent-escapes decoded, {@code //} merged, {@code /./} dropped, {@code /../} taken back
 * a segment, query and fragment cut off. What nginx refuses with 400 (a bad escape, {@code %00}, a {@code ..} above
 * the root) is refused here. A line-by-line port of nginx's state machine, because the exact set of refused targets
 * is visible to a prober.
 */
final class NginxUri {

    private enum State { USUAL, SLASH, DOT, DOT_DOT, QUOTED, QUOTED_SECOND }

    /** The characters that need no attention in a path (nginx's {@code usual} table). */
    private static final int[] USUAL = {0x00000000, 0x7fff37d6, 0xffffffff, 0x7fffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff};

    private NginxUri() {
    }

    private static boolean usual(int ch) {
        return (USUAL[ch >> 5] & (1 << (ch & 0x1f))) != 0;
    }

    /**
     * @param target the request target from its first {@code /}, e.g. {@code /a/./b%41?x#y}
     * @return the decoded path (bytes), or null when nginx answers 400
     */
    static byte[] path(byte[] target) {
        byte[] out = new byte[target.length];
        int u = 0;
        State state = State.USUAL;
        State quotedState = State.USUAL;
        int decoded = 0;
        int next = 0;
        int ch = read(target, next++);
        while (next <= target.length) {
            switch (state) {
                case USUAL -> {
                    if (!usual(ch)) {
                        switch (ch) {
                            case '/' -> state = State.SLASH;
                            case '%' -> {
                                quotedState = state;
                                state = State.QUOTED;
                                ch = read(target, next++);
                                continue;
                            }
                            case '?', '#' -> {
                                return Arrays.copyOf(out, u);
                            }
                            default -> {
                            }
                        }
                    }
                    out[u++] = (byte) ch;
                    ch = read(target, next++);
                }
                case SLASH -> {
                    if (usual(ch)) {
                        state = State.USUAL;
                        out[u++] = (byte) ch;
                    } else {
                        switch (ch) {
                            case '/' -> {
                                // merged
                            }
                            case '.' -> {
                                state = State.DOT;
                                out[u++] = (byte) ch;
                            }
                            case '%' -> {
                                quotedState = state;
                                state = State.QUOTED;
                            }
                            case '?', '#' -> {
                                return Arrays.copyOf(out, u);
                            }
                            default -> {
                                state = State.USUAL;
                                out[u++] = (byte) ch;
                            }
                        }
                    }
                    ch = read(target, next++);
                }
                case DOT -> {
                    if (usual(ch)) {
                        state = State.USUAL;
                        out[u++] = (byte) ch;
                    } else {
                        switch (ch) {
                            case '/' -> {
                                state = State.SLASH;
                                u--;
                            }
                            case '.' -> {
                                state = State.DOT_DOT;
                                out[u++] = (byte) ch;
                            }
                            case '%' -> {
                                quotedState = state;
                                state = State.QUOTED;
                            }
                            case '?', '#' -> {
                                return Arrays.copyOf(out, u - 1);
                            }
                            default -> {
                                state = State.USUAL;
                                out[u++] = (byte) ch;
                            }
                        }
                    }
                    ch = read(target, next++);
                }
                case DOT_DOT -> {
                    if (usual(ch)) {
                        state = State.USUAL;
                        out[u++] = (byte) ch;
                    } else {
                        switch (ch) {
                            case '/', '?', '#' -> {
                                u = parentOf(out, u);
                                if (u < 0) {
                                    return null;
                                }
                                if (ch != '/') {
                                    return Arrays.copyOf(out, u);
                                }
                                state = State.SLASH;
                            }
                            case '%' -> {
                                quotedState = state;
                                state = State.QUOTED;
                            }
                            default -> {
                                state = State.USUAL;
                                out[u++] = (byte) ch;
                            }
                        }
                    }
                    ch = read(target, next++);
                }
                case QUOTED -> {
                    int digit = hex(ch);
                    if (digit < 0) {
                        return null;
                    }
                    decoded = digit;
                    state = State.QUOTED_SECOND;
                    ch = read(target, next++);
                }
                case QUOTED_SECOND -> {
                    int digit = hex(ch);
                    if (digit < 0) {
                        return null;
                    }
                    ch = (decoded << 4) + digit;
                    if (ch == 0) {
                        return null;
                    }
                    if (ch == '%' || ch == '#' || ch == '?') {
                        // an escaped delimiter is data, not a delimiter
                        state = State.USUAL;
                        out[u++] = (byte) ch;
                        ch = read(target, next++);
                    } else {
                        // the decoded character is looked at again in the state before the escape
                        state = quotedState;
                    }
                }
            }
        }
        if (state == State.QUOTED || state == State.QUOTED_SECOND) {
            return null;
        }
        if (state == State.DOT) {
            u--;
        } else if (state == State.DOT_DOT) {
            u = parentOf(out, u);
            if (u < 0) {
                return null;
            }
        }
        return Arrays.copyOf(out, u);
    }

    /** After {@code /seg/..} in {@code out[0, u)}: the length of {@code /} up to the parent; -1 above the root. */
    private static int parentOf(byte[] out, int u) {
        u -= 4;
        while (u >= 0) {
            if (out[u] == '/') {
                return u + 1;
            }
            u--;
        }
        return -1;
    }

    private static int hex(int ch) {
        if (ch >= '0' && ch <= '9') {
            return ch - '0';
        }
        int lower = ch | 0x20;
        return lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : -1;
    }

    /** The character at {@code index}; past the end, the space that ends a target in a request line. */
    private static int read(byte[] target, int index) {
        return index < target.length ? target[index] & 0xff : ' ';
    }
}
