package io.alknet.transport.tls.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A request head as nginx reads it ({@link NginxRequestParser}). Text is ISO-8859-1, byte for byte as sent.
 *
 * @param method        as sent, e.g. {@code GET}
 * @param uri           the target in origin form as sent (of an absolute URI, the part from its path on), e.g.
 *                      {@code /a%20b?x=1}
 * @param path          the path nginx works with: percent-escapes decoded, dot segments resolved, slashes merged
 * @param version       major * 1000 + minor: 9 for HTTP/0.9, 1000 for HTTP/1.0, 1001 for HTTP/1.1
 * @param host          the host from an absolute URI or the {@code Host} header, lower case, without port; empty if none
 * @param headers       the header lines in order, without those nginx ignores as invalid
 * @param keepAlive     whether the connection stays open after the answer, by nginx's rules
 * @param contentLength the {@code Content-Length}, or -1
 * @param chunked       whether the body is chunked
 */
record NginxRequest(String method, String uri, String path, int version, String host, List<Header> headers, boolean keepAlive,
                    long contentLength, boolean chunked) {

    static final int HTTP_09 = 9;

    record Header(String name, String value) {
    }

    NginxRequest {
        headers = List.copyOf(headers);
    }

    /** The first header of that name (case-insensitive), or null. */
    String header(String name) {
        for (Header header : headers) {
            if (header.name().equalsIgnoreCase(name)) {
                return header.value();
            }
        }
        return null;
    }

    /** The headers by lower-case name, repeated ones joined with {@code ", "}. */
    Map<String, String> headerMap() {
        Map<String, String> map = new LinkedHashMap<>();
        for (Header header : headers) {
            map.merge(header.name().toLowerCase(Locale.ROOT), header.value(), (first, next) -> first + ", " + next);
        }
        return map;
    }

    boolean http09() {
        return version == HTTP_09;
    }

    /**
     * Whether nginx pads its error pages for this client ({@code msie_padding}: MSIE and Chrome would otherwise show
     * their own page for a short one): decided from the first {@code User-Agent} as
     * {@code ngx_http_process_user_agent} does.
     */
    boolean padsErrorPages() {
        String agent = header("User-Agent");
        if (agent == null || agent.contains("Opera")) {
            return false;
        }
        int msie = agent.indexOf("MSIE ");
        if (msie >= 0 && msie + 7 < agent.length()) {
            return true;
        }
        return !agent.contains("Gecko/") && agent.contains("Chrome/");
    }
}
