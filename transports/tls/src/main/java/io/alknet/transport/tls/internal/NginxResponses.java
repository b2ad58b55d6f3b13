package io.alknet.transport.tls.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Answers as nginx 1.22 writes them ({@code ngx_http_header_filter_module}, {@code ngx_http_special_response}, with
 * {@code server_tokens off}): its status lines, its header order ({@code Server}, {@code Date},
 * {@code Content-Type}, {@code Content-Length}, {@code Last-Modified}, {@code Location}, {@code Connection}, then the
 * rest), its built-in error pages byte for byte, the padding it adds to them for MSIE and Chrome, and no head at all
 * for HTTP/0.9.
 */
final class NginxResponses {

    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US);

    /** nginx's own wording where it differs from the RFCs' (408, 503, 504 ...). */
    private static final Map<Integer, String> REASONS = Map.ofEntries(
            Map.entry(200, "OK"), Map.entry(201, "Created"), Map.entry(202, "Accepted"), Map.entry(204, "No Content"),
            Map.entry(206, "Partial Content"), Map.entry(301, "Moved Permanently"), Map.entry(302, "Moved Temporarily"),
            Map.entry(303, "See Other"), Map.entry(304, "Not Modified"), Map.entry(307, "Temporary Redirect"),
            Map.entry(308, "Permanent Redirect"), Map.entry(400, "Bad Request"), Map.entry(401, "Unauthorized"),
            Map.entry(402, "Payment Required"), Map.entry(403, "Forbidden"), Map.entry(404, "Not Found"),
            Map.entry(405, "Not Allowed"), Map.entry(406, "Not Acceptable"), Map.entry(408, "Request Time-out"),
            Map.entry(409, "Conflict"), Map.entry(410, "Gone"), Map.entry(411, "Length Required"),
            Map.entry(412, "Precondition Failed"), Map.entry(413, "Request Entity Too Large"),
            Map.entry(414, "Request-URI Too Large"), Map.entry(415, "Unsupported Media Type"),
            Map.entry(416, "Requested Range Not Satisfiable"), Map.entry(421, "Misdirected Request"),
            Map.entry(429, "Too Many Requests"), Map.entry(500, "Internal Server Error"), Map.entry(501, "Not Implemented"),
            Map.entry(502, "Bad Gateway"), Map.entry(503, "Service Temporarily Unavailable"), Map.entry(504, "Gateway Time-out"),
            Map.entry(505, "HTTP Version Not Supported"), Map.entry(507, "Insufficient Storage"));

    /** The second line of nginx's pages for its own 4xx codes, which are sent as 400. */
    private static final Map<Integer, String> DETAILS = Map.of(
            494, "Request Header Or Cookie Too Large",
            497, "The plain HTTP request was sent to HTTPS port");

    private static final String TAIL = "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
    private static final String PADDING = "<!-- a padding to disable MSIE and Chrome friendly error page -->\r\n".repeat(6);

    private NginxResponses() {
    }

    /** The status nginx puts on the wire: its own codes 494 and 497 go out as 400. */
    static int wireStatus(int status) {
        return DETAILS.containsKey(status) ? 400 : status;
    }

    static String statusLine(int status) {
        String reason = REASONS.get(status);
        // nginx writes an unknown status with an empty reason
        return "HTTP/1.1 " + status + " " + (reason == null ? "" : reason);
    }

    /** nginx's built-in page for {@code status} (301 and every error), with its CRLF line ends. */
    static String page(int status, boolean padded) {
        String detail = DETAILS.get(status);
        int shown = wireStatus(status);
        String heading = shown + " " + REASONS.getOrDefault(shown, "");
        String title = detail == null ? heading : shown + " " + detail;
        return "<html>\r\n<head><title>" + title + "</title></head>\r\n<body>\r\n<center><h1>" + heading + "</h1></center>\r\n"
                + (detail == null ? "" : "<center>" + detail + "</center>\r\n") + TAIL + (padded && shown >= 400 ? PADDING : "");
    }

    /**
     * An answer with nginx's page for {@code status}.
     *
     * @param version   of the request: HTTP/0.9 gets the page alone
     * @param headOnly  a {@code HEAD} request: the head alone
     * @param padded    the client is one nginx pads error pages for
     * @param location  the {@code Location} of a redirect, or null
     */
    static ByteBuf page(int status, int version, boolean headOnly, boolean padded, boolean keepAlive, String location) {
        String page = page(status, padded && version >= 1000);
        byte[] body = page.getBytes(StandardCharsets.ISO_8859_1);
        if (version == NginxRequest.HTTP_09) {
            return Unpooled.wrappedBuffer(body);
        }
        List<String> headers = location == null ? List.of() : List.of("Location: " + location);
        return response(wireStatus(status), "text/html", body, null, headers, List.of(), keepAlive, headOnly);
    }

    /**
     * A complete answer.
     *
     * @param beforeConnection headers nginx writes before {@code Connection} ({@code Last-Modified}, {@code Location})
     * @param afterConnection  headers nginx writes after it ({@code ETag}, {@code Accept-Ranges}, those of a backend)
     */
    static ByteBuf response(int status, String contentType, byte[] body, Instant lastModified, List<String> beforeConnection,
                            List<String> afterConnection, boolean keepAlive, boolean headOnly) {
        StringBuilder head = new StringBuilder(statusLine(status)).append("\r\nServer: nginx\r\nDate: ").append(date(Instant.now()))
                .append("\r\n");
        if (contentType != null) {
            head.append("Content-Type: ").append(contentType).append("\r\n");
        }
        head.append("Content-Length: ").append(body.length).append("\r\n");
        if (lastModified != null) {
            head.append("Last-Modified: ").append(date(lastModified)).append("\r\n");
        }
        beforeConnection.forEach(line -> head.append(line).append("\r\n"));
        head.append("Connection: ").append(keepAlive ? "keep-alive" : "close").append("\r\n");
        afterConnection.forEach(line -> head.append(line).append("\r\n"));
        head.append("\r\n");
        ByteBuf bytes = Unpooled.copiedBuffer(head, StandardCharsets.ISO_8859_1);
        return headOnly ? bytes : Unpooled.wrappedBuffer(bytes, Unpooled.wrappedBuffer(body));
    }

    static String date(Instant instant) {
        return HTTP_DATE.format(ZonedDateTime.ofInstant(instant, ZoneOffset.UTC));
    }
}
