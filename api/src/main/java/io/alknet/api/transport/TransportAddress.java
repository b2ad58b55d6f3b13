package io.alknet.api.transport;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where a transport dials or listens: {@code scheme://host:port?key=value&…}. The host is a name or an
 * IP literal (IPv6 in brackets in the URI form, bare here); for iroh it is an endpoint id and the port
 * is {@code 0}.
 *
 * @param scheme transport name, lower case ({@code tcp}, {@code tls}, {@code iroh})
 * @param host   host name, IP literal or endpoint id
 * @param port   port number, {@code 0} when the transport has none or for "any free port" when listening
 * @param params query parameters in order; repeated keys keep every value
 */
public record TransportAddress(String scheme, String host, int port, Map<String, List<String>> params) {

    private static final Pattern SCHEME = Pattern.compile("[a-z][a-z0-9+.-]*");

    public TransportAddress {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(host, "host");
        if (!SCHEME.matcher(scheme).matches()) {
            throw new IllegalArgumentException("invalid scheme: " + scheme);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        Map<String, List<String>> copy = new LinkedHashMap<>();
        params.forEach((key, values) -> copy.put(key, List.copyOf(values)));
        params = java.util.Collections.unmodifiableMap(copy);
    }

    public static TransportAddress of(String scheme, String host, int port) {
        return new TransportAddress(scheme, host, port, Map.of());
    }

    /**
     * Parses {@code scheme://host[:port][?query]}. A missing port is {@code defaultPort}.
     *
     * @throws AlknetException with {@link ErrorCode#INVALID_ARGUMENT} naming what is wrong
     */
    public static TransportAddress parse(String text, int defaultPort) {
        Objects.requireNonNull(text, "text");
        int separator = text.indexOf("://");
        if (separator <= 0) {
            throw invalid(text, "expected scheme://host:port, for example tcp://127.0.0.1:2222");
        }
        String scheme = text.substring(0, separator).toLowerCase(Locale.ROOT);
        if (!SCHEME.matcher(scheme).matches()) {
            throw invalid(text, "the scheme '" + scheme + "' is not a valid URI scheme");
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw invalid(text, e.getReason());
        }
        String host = uri.getHost();
        int port = uri.getPort();
        if (host == null) {
            // Non-server authority (e.g. an iroh endpoint id with characters URI rejects as a host).
            String authority = uri.getRawAuthority();
            if (authority == null || authority.isEmpty()) {
                throw invalid(text, "the host is missing");
            }
            int colon = authority.lastIndexOf(':');
            if (colon > 0 && authority.indexOf(']') < colon) {
                host = authority.substring(0, colon);
                port = parsePort(text, authority.substring(colon + 1));
            } else {
                host = authority;
            }
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")) {
            throw invalid(text, "a path is not allowed here");
        }
        if (port > 65535) {
            throw invalid(text, "port " + port + " is out of range 0-65535");
        }
        return new TransportAddress(scheme, host, port < 0 ? defaultPort : port, parseQuery(uri.getRawQuery()));
    }

    private static int parsePort(String text, String port) {
        try {
            int value = Integer.parseInt(port);
            if (value < 0 || value > 65535) {
                throw invalid(text, "port " + port + " is out of range 0-65535");
            }
            return value;
        } catch (NumberFormatException e) {
            throw invalid(text, "port '" + port + "' is not a number");
        }
    }

    private static Map<String, List<String>> parseQuery(String query) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) {
            return params;
        }
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            params.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return params;
    }

    private static String decode(String value) {
        return URLDecoder.decode(value, StandardCharsets.UTF_8);
    }

    private static AlknetException invalid(String text, String reason) {
        return new AlknetException(ErrorCode.INVALID_ARGUMENT, "invalid address '" + text + "': " + reason);
    }

    /** The first value of a query parameter. */
    public Optional<String> param(String key) {
        List<String> values = params.get(key);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    /** The host as it appears in a URI: IPv6 literals in brackets. */
    public String uriHost() {
        return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    }

    /** Returns a copy with another port (e.g. the one actually bound). */
    public TransportAddress withPort(int newPort) {
        return new TransportAddress(scheme, host, newPort, params);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(scheme).append("://").append(uriHost());
        if (port > 0) {
            text.append(':').append(port);
        }
        String separator = "?";
        for (Map.Entry<String, List<String>> entry : params.entrySet()) {
            for (String value : entry.getValue()) {
                text.append(separator).append(entry.getKey()).append('=').append(value);
                separator = "&";
            }
        }
        return text.toString();
    }
}
