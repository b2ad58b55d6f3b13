package io.alknet.transport.tls.internal;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads a request head the way nginx 1.22 does ({@code ngx_http_parse_request_line}, {@code ngx_http_parse_header_line}
 * and the checks of {@code ngx_http_process_request_line}, {@code ..._headers} and {@code ..._header}, with the
 * defaults {@code ignore_invalid_headers on}, {@code underscores_in_headers off},
 * {@code large_client_header_buffers 4 8k}), so the decoy accepts, tolerates and refuses exactly what nginx does:
 * bare LF line ends, several spaces, header lines without a colon, HTTP/0.9, and the same 400, 414, 494, 501 and 505.
 * Hand-written on purpose: a general HTTP parser is stricter than nginx in some places and more lenient in others,
 * and a prober sees every difference. Like nginx, it refuses as soon as a byte is wrong, before the line is complete.
 */
final class NginxRequestParser {

    /** A request line or header line must fit one of nginx's large header buffers... */
    static final int LINE_LIMIT = 8192;
    /** ... and the whole head four of them. */
    static final int HEAD_LIMIT = 4 * 8192;

    private static final byte CR = '\r';
    private static final byte LF = '\n';
    /** Headers nginx keeps one of; a second one is a 400. */
    private static final Set<String> UNIQUE = Set.of("if-modified-since", "if-unmodified-since", "if-match", "if-none-match",
            "content-length", "content-range", "if-range", "transfer-encoding", "expect", "authorization");

    /** What the bytes so far amount to. */
    sealed interface Result permits Incomplete, Refused, Parsed {
    }

    /** Not a complete head yet, and nothing wrong so far. */
    record Incomplete() implements Result {
    }

    /**
     * nginx refuses the request with {@code status} (its own code 494 is the 400 "Request Header Or Cookie Too
     * Large") and closes. The answer has no head for HTTP/0.9 and no body for {@code HEAD}; {@code padded}: a
     * {@code User-Agent} nginx pads error pages for had arrived; {@code contentLength}: the body nginx reads (and drops)
     * before it closes, when the refusal came after it had read {@code Content-Length} (else -1), behind the head of
     * {@code length} bytes.
     */
    record Refused(int status, String method, int version, boolean padded, long contentLength, int length) implements Result {
        boolean http09() {
            return version == NginxRequest.HTTP_09;
        }
    }

    /** A complete head of {@code length} bytes. */
    record Parsed(NginxRequest request, int length) implements Result {
    }

    private static final Incomplete MORE = new Incomplete();

    private final byte[] b;
    private int p;
    private String method = "";
    private int targetStart = -1;
    private int targetEnd;
    private String uriHost;
    private int version;
    private NginxRequest.Header header;
    private boolean headEnded;
    private final List<NginxRequest.Header> headers = new ArrayList<>();
    private long contentLength = -1;

    private NginxRequestParser(byte[] bytes) {
        this.b = bytes;
    }

    /** Reads the head at the start of {@code in} (not consumed). */
    static Result parse(ByteBuf in) {
        byte[] bytes = new byte[Math.min(in.readableBytes(), HEAD_LIMIT + 1)];
        in.getBytes(in.readerIndex(), bytes);
        return new NginxRequestParser(bytes).parse();
    }

    private Result parse() {
        while (p < b.length && (b[p] == CR || b[p] == LF)) {
            p++; // empty lines before a request are skipped
        }
        int lineStart = p;
        Result line = requestLine();
        if (line == MORE) {
            return b.length - lineStart > LINE_LIMIT ? refuse(414) : MORE;
        }
        if (line != null) {
            return line;
        }
        if (p - lineStart > LINE_LIMIT) {
            return refuse(414);
        }
        if (version == NginxRequest.HTTP_09 && !method.equals("GET")) {
            return refuse(400);
        }
        byte[] target = targetStart < 0 ? new byte[] {'/'} : slashFirst(java.util.Arrays.copyOfRange(b, targetStart, targetEnd));
        byte[] path = NginxUri.path(target);
        String host = "";
        if (uriHost != null) {
            host = validHost(uriHost);
            if (host == null) {
                return refuse(400);
            }
        }
        if (path == null) {
            return refuse(400);
        }
        String uri = new String(target, StandardCharsets.ISO_8859_1);
        String decodedPath = new String(path, StandardCharsets.ISO_8859_1);
        if (version == NginxRequest.HTTP_09) {
            return new Parsed(new NginxRequest(method, uri, decodedPath, version, host, List.of(), false, -1, false), p);
        }
        return headers(lineStart, uri, decodedPath, host);
    }

    /** A refusal; until the request line is complete, nginx takes it for HTTP/1.0 (an answer with a head). */
    private Refused refuse(int status) {
        int shownVersion = version == 0 ? 1000 : version;
        return new Refused(status, method, shownVersion, new NginxRequest(method, "/", "/", shownVersion, "", headers, false, -1, false)
                .padsErrorPages(), contentLength, p);
    }

    /** An absolute URI without a path ({@code http://h?x}) has the path {@code /}. */
    private static byte[] slashFirst(byte[] target) {
        if (target.length > 0 && target[0] == '/') {
            return target;
        }
        byte[] withSlash = new byte[target.length + 1];
        withSlash[0] = '/';
        System.arraycopy(target, 0, withSlash, 1, target.length);
        return withSlash;
    }

    /** The request line; null when complete and well-formed, else {@link #MORE} or a refusal. */
    private Result requestLine() {
        int start = p;
        while (p < b.length && methodChar(b[p])) {
            p++;
        }
        if (p == b.length) {
            return MORE;
        }
        if (p == start || b[p] != ' ') {
            return refuse(400);
        }
        method = new String(b, start, p - start, StandardCharsets.ISO_8859_1);
        while (p < b.length && b[p] == ' ') {
            p++;
        }
        if (p == b.length) {
            return MORE;
        }
        if (b[p] == '/') {
            targetStart = p;
        } else if (letter(b[p])) {
            Result absolute = absoluteTarget();
            if (absolute != null) {
                return absolute;
            }
        } else {
            return refuse(400);
        }
        if (targetStart >= 0) {
            while (p < b.length && b[p] != ' ' && b[p] != CR && b[p] != LF) {
                if (control(b[p])) {
                    return refuse(400);
                }
                p++;
            }
            if (p == b.length) {
                return MORE;
            }
            targetEnd = p;
        }
        return version();
    }

    /** {@code scheme://host[:port]} then {@code /}, {@code ?} or a space; nginx serves the path and notes the host. */
    private Result absoluteTarget() {
        while (p < b.length && (letter(b[p]) || digit(b[p]) || b[p] == '+' || b[p] == '-' || b[p] == '.')) {
            p++;
        }
        for (char expected : new char[] {':', '/', '/'}) {
            if (p == b.length) {
                return MORE;
            }
            if (b[p] != expected) {
                return refuse(400);
            }
            p++;
        }
        int hostStart = p;
        if (p < b.length && b[p] == '[') {
            while (++p < b.length && b[p] != ']') {
                if (!ipLiteralChar(b[p])) {
                    return refuse(400);
                }
            }
            if (p == b.length) {
                return MORE;
            }
            p++;
        } else {
            while (p < b.length && (letter(b[p]) || digit(b[p]) || b[p] == '.' || b[p] == '-')) {
                p++;
            }
        }
        if (p == b.length) {
            return MORE;
        }
        uriHost = new String(b, hostStart, p - hostStart, StandardCharsets.ISO_8859_1);
        if (b[p] == ':') {
            while (++p < b.length && digit(b[p])) {
                // the port
            }
            if (p == b.length) {
                return MORE;
            }
        }
        switch (b[p]) {
            case '/', '?' -> targetStart = p;
            case ' ' -> targetStart = -1; // no path: "/"
            default -> {
                return refuse(400);
            }
        }
        return null;
    }

    /** After the target: end of line (HTTP/0.9), or spaces, {@code HTTP/major.minor}, spaces, end of line. */
    private Result version() {
        while (p < b.length && b[p] == ' ') {
            p++;
        }
        if (p == b.length) {
            return MORE;
        }
        if (b[p] == CR || b[p] == LF) {
            version = NginxRequest.HTTP_09;
            return lineEnd();
        }
        for (char expected : "HTTP/".toCharArray()) {
            if (p == b.length) {
                return MORE;
            }
            if (b[p] != expected) {
                return refuse(400);
            }
            p++;
        }
        if (p == b.length) {
            return MORE;
        }
        if (b[p] < '1' || b[p] > '9') {
            return refuse(400);
        }
        int major = b[p++] - '0';
        while (true) {
            if (major > 1) {
                return refuse(505);
            }
            if (p == b.length) {
                return MORE;
            }
            if (b[p] == '.') {
                p++;
                break;
            }
            if (!digit(b[p])) {
                return refuse(400);
            }
            major = major * 10 + (b[p++] - '0');
        }
        if (p == b.length) {
            return MORE;
        }
        if (!digit(b[p])) {
            return refuse(400);
        }
        int minor = b[p++] - '0';
        while (true) {
            if (p == b.length) {
                return MORE;
            }
            if (b[p] == CR || b[p] == LF) {
                break;
            }
            if (b[p] == ' ') {
                while (p < b.length && b[p] == ' ') {
                    p++;
                }
                if (p == b.length) {
                    return MORE;
                }
                if (b[p] != CR && b[p] != LF) {
                    return refuse(400);
                }
                break;
            }
            if (!digit(b[p]) || minor > 99) {
                return refuse(400);
            }
            minor = minor * 10 + (b[p++] - '0');
        }
        version = major * 1000 + minor;
        return lineEnd();
    }

    /** {@code LF} or {@code CR LF}. */
    private Result lineEnd() {
        if (b[p] == LF) {
            p++;
            return null;
        }
        if (p + 1 == b.length) {
            return MORE;
        }
        if (b[p + 1] != LF) {
            return refuse(400);
        }
        p += 2;
        return null;
    }

    private Result headers(int headStart, String uri, String path, String host) {
        Set<String> seen = new HashSet<>();
        Boolean connectionKeepAlive = null;
        while (true) {
            int lineStart = p;
            Result line = headerLine();
            if (line == MORE) {
                return p - lineStart > LINE_LIMIT || b.length - headStart > HEAD_LIMIT ? refuse(494) : MORE;
            }
            if (line != null) {
                return line;
            }
            if (p - lineStart > LINE_LIMIT || p - headStart > HEAD_LIMIT) {
                return refuse(494);
            }
            if (headEnded) {
                break;
            }
            if (header == null) {
                continue; // ignored, as nginx ignores invalid header lines
            }
            headers.add(header);
            // what nginx's header handlers check as each line arrives
            String name = header.name().toLowerCase(Locale.ROOT);
            if (!seen.add(name) && (name.equals("host") || UNIQUE.contains(name))) {
                return refuse(400);
            }
            if (name.equals("host")) {
                String valid = validHost(header.value());
                if (valid == null) {
                    return refuse(400);
                }
                host = host.isEmpty() ? valid : host;
            } else if (name.equals("connection")) {
                String value = header.value().toLowerCase(Locale.ROOT);
                if (value.contains("close")) {
                    connectionKeepAlive = false;
                } else if (value.contains("keep-alive")) {
                    connectionKeepAlive = true;
                }
            }
        }
        // ngx_http_process_request_header
        if (!seen.contains("host") && version > 1000) {
            return refuse(400);
        }
        boolean chunked = false;
        for (NginxRequest.Header header : headers) {
            if (header.name().equalsIgnoreCase("content-length")) {
                contentLength = length(header.value());
                if (contentLength < 0) {
                    return refuse(400);
                }
            }
        }
        for (NginxRequest.Header header : headers) {
            if (header.name().equalsIgnoreCase("transfer-encoding")) {
                if (version < 1001) {
                    return refuse(400);
                }
                if (!header.value().equalsIgnoreCase("chunked")) {
                    return refuse(501);
                }
                if (contentLength >= 0) {
                    return refuse(400);
                }
                chunked = true;
            }
        }
        if (method.equals("CONNECT") || method.equals("TRACE")) {
            return refuse(405);
        }
        boolean keepAlive = connectionKeepAlive == null ? version > 1000 : connectionKeepAlive;
        return new Parsed(new NginxRequest(method, uri, path, version, host, headers, keepAlive, contentLength, chunked), p);
    }

    /**
     * One header line, or the empty line that ends the head: null when complete (then {@link #headEnded}, or
     * {@link #header} is the header, null for a line nginx ignores as invalid), else {@link #MORE} or a refusal.
     */
    private Result headerLine() {
        header = null;
        if (p == b.length) {
            return MORE;
        }
        if (b[p] == CR || b[p] == LF) {
            headEnded = true;
            return lineEnd();
        }
        int nameStart = p;
        boolean invalid = false;
        int nameEnd = -1;
        while (nameEnd < 0) {
            if (p == b.length) {
                return MORE;
            }
            byte c = b[p];
            if (nameChar(c)) {
                p++;
            } else if (p > nameStart && (c == ':' || c == CR || c == LF)) {
                nameEnd = p; // at CR or LF: a name without a value
                if (c == ':') {
                    p++;
                }
            } else if (unsigned(c) <= 0x20 || c == 0x7f || c == ':') {
                return refuse(400);
            } else {
                invalid = true; // e.g. "_" or a non-ASCII byte: nginx ignores the line
                p++;
            }
        }
        while (p < b.length && b[p] == ' ') {
            p++;
        }
        int valueStart = p;
        int valueEnd = p;
        while (p < b.length && b[p] != CR && b[p] != LF) {
            if (b[p] == 0) {
                return refuse(400);
            }
            if (b[p] != ' ') {
                valueEnd = p + 1;
            }
            p++;
        }
        while (p < b.length && b[p] == CR) {
            p++;
        }
        if (p == b.length) {
            return MORE;
        }
        if (b[p] != LF) {
            return refuse(400);
        }
        p++;
        if (!invalid) {
            header = new NginxRequest.Header(new String(b, nameStart, nameEnd - nameStart, StandardCharsets.ISO_8859_1),
                    new String(b, valueStart, valueEnd - valueStart, StandardCharsets.ISO_8859_1));
        }
        return null;
    }

    /**
     * nginx's {@code ngx_http_validate_host}: the host in lower case without port and trailing dot, or null when it
     * is empty or has {@code ..}, a {@code /}, a space or a control character.
     */
    static String validHost(String host) {
        int dot = -2;
        int length = host.length();
        boolean literal = false;
        boolean rest = false;
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            switch (c) {
                case '.' -> {
                    if (dot == i - 1) {
                        return null;
                    }
                    dot = i;
                }
                case ':' -> {
                    if (!literal && !rest) {
                        length = i;
                        rest = true;
                    }
                }
                case '[' -> literal |= i == 0;
                case ']' -> {
                    if (literal && !rest) {
                        length = i + 1;
                        rest = true;
                    }
                }
                default -> {
                    if (c == '/' || c <= 0x20 || c == 0x7f) {
                        return null;
                    }
                }
            }
        }
        if (dot == length - 1) {
            length--;
        }
        return length <= 0 ? null : host.substring(0, length).toLowerCase(Locale.ROOT);
    }

    /** nginx's {@code ngx_atoof}: digits only, no sign, no space; -1 otherwise or on overflow. */
    private static long length(String value) {
        if (value.isEmpty()) {
            return -1;
        }
        long n = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9' || n > (Long.MAX_VALUE - (c - '0')) / 10) {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    private static boolean methodChar(byte c) {
        return (c >= 'A' && c <= 'Z') || c == '_' || c == '-';
    }

    private static boolean letter(byte c) {
        int lower = c | 0x20;
        return lower >= 'a' && lower <= 'z';
    }

    private static boolean digit(byte c) {
        return c >= '0' && c <= '9';
    }

    /** Letters, digits and {@code -}: what nginx takes as a header name without complaint. */
    private static boolean nameChar(byte c) {
        return letter(c) || digit(c) || c == '-';
    }

    private static boolean ipLiteralChar(byte c) {
        return letter(c) || digit(c) || ":-._~!$&'()*+,;=".indexOf(c) >= 0;
    }

    private static boolean control(byte c) {
        return unsigned(c) < 0x20 || c == 0x7f;
    }

    private static int unsigned(byte c) {
        return c & 0xff;
    }
}
