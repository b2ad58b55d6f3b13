package io.alknet.metrics.prometheus.internal;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Where the endpoint listens: {@code HOST:PORT} with an IP address or {@code localhost} (a name is not looked up:
 * the endpoint binds where the operator wrote, not where DNS points), IPv6 in brackets, port 9464 when omitted.
 */
record MetricsAddress(InetAddress host, int port) {

    static final int DEFAULT_PORT = 9464;

    MetricsAddress {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    static MetricsAddress parse(String text) {
        String value = text.strip();
        String host = value;
        int port = DEFAULT_PORT;
        int colon = value.lastIndexOf(':');
        if (value.startsWith("[")) {
            int close = value.indexOf(']');
            if (close < 0) {
                throw invalid(text, "an IPv6 address needs its closing ]");
            }
            host = value.substring(1, close);
            String rest = value.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw invalid(text, "expected :PORT after the address");
                }
                port = port(text, rest.substring(1));
            }
        } else if (colon >= 0 && value.indexOf(':') == colon) {
            host = value.substring(0, colon);
            port = port(text, value.substring(colon + 1));
        } else if (colon >= 0) {
            throw invalid(text, "write an IPv6 address in brackets, e.g. [::1]:9464");
        }
        if (host.isEmpty()) {
            throw invalid(text, "the address is missing; e.g. 127.0.0.1:9464");
        }
        InetAddress address;
        if (host.equalsIgnoreCase("localhost")) {
            address = InetAddress.getLoopbackAddress();
        } else {
            try {
                address = InetAddress.ofLiteral(host);
            } catch (IllegalArgumentException e) {
                throw invalid(text, "give an IP address (or localhost), not a name");
            }
        }
        return new MetricsAddress(address, port);
    }

    /** Whether only this machine can reach it. */
    boolean loopback() {
        return host.isLoopbackAddress();
    }

    InetSocketAddress socketAddress() {
        return new InetSocketAddress(host, port);
    }

    private static int port(String text, String port) {
        try {
            int value = Integer.parseInt(port);
            if (value >= 0 && value <= 65535) {
                return value;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw invalid(text, "the port must be a number from 0 to 65535");
    }

    private static AlknetException invalid(String text, String why) {
        return new AlknetException(ErrorCode.INVALID_CONFIG, "metrics.prometheus.listen (--metrics) must be HOST:PORT, got '"
                + text + "': " + why);
    }
}
