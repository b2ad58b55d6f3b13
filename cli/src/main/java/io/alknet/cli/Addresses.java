package io.alknet.cli;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.api.transport.TransportAddress;

import java.util.Locale;

/**
 * Reads addresses in both spellings: a URI ({@code tcp://host:port}, {@code tls://[::1]:443}) or, with
 * {@code --transport}, a plain {@code host:port}.
 */
final class Addresses {

    private Addresses() {
    }

    static TransportAddress parse(String text, String transport, int defaultPort, String flag) {
        if (text == null || text.isBlank()) {
            throw new AlknetException(ErrorCode.INVALID_ARGUMENT, flag + " is empty");
        }
        if (isIroh(text, transport)) {
            return iroh(text, transport, flag);
        }
        if (text.contains("://")) {
            TransportAddress address = TransportAddress.parse(text, defaultPort);
            if (transport != null && !transport.equalsIgnoreCase(address.scheme())) {
                throw new AlknetException(ErrorCode.INVALID_ARGUMENT, flag + " " + text + " says " + address.scheme()
                        + " but --transport says " + transport + "; use one of them");
            }
            return address;
        }
        String scheme = transport == null ? "tcp" : transport.toLowerCase(Locale.ROOT);
        String host = text;
        int port = defaultPort;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw new AlknetException(ErrorCode.INVALID_ARGUMENT, flag + " " + text + ": unclosed '['");
            }
            host = text.substring(1, close);
            if (close + 1 < text.length()) {
                if (text.charAt(close + 1) != ':') {
                    throw new AlknetException(ErrorCode.INVALID_ARGUMENT, flag + " " + text + ": expected ':' after ']'");
                }
                port = port(text, text.substring(close + 2), flag);
            }
        } else {
            int colon = text.lastIndexOf(':');
            if (colon >= 0 && text.indexOf(':') == colon) {
                host = text.substring(0, colon);
                port = port(text, text.substring(colon + 1), flag);
            }
        }
        return TransportAddress.parse(scheme + "://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port, defaultPort);
    }

    private static boolean isIroh(String text, String transport) {
        String lower = text.toLowerCase(Locale.ROOT);
        return lower.startsWith("iroh://") || (!text.contains("://") && "iroh".equalsIgnoreCase(transport));
    }

    /**
     * iroh addresses: {@code iroh://ENDPOINT_ID[?addr=IP:PORT&…]} (or the bare id with {@code --transport iroh}) to dial,
     * {@code iroh://} or {@code iroh://IP:PORT} to listen. An endpoint id has no port.
     */
    private static TransportAddress iroh(String text, String transport, String flag) {
        if (transport != null && !transport.equalsIgnoreCase("iroh")) {
            throw new AlknetException(ErrorCode.INVALID_ARGUMENT, flag + " " + text + " says iroh but --transport says " + transport
                    + "; use one of them");
        }
        String rest = text.regionMatches(true, 0, "iroh://", 0, 7) ? text.substring(7) : text;
        if (rest.isEmpty() || rest.equals("/")) {
            return TransportAddress.of("iroh", "", 0); // listen on every address, any port
        }
        TransportAddress address = TransportAddress.parse("iroh://" + rest, 0);
        boolean bindAddress = address.host().indexOf(':') >= 0 || address.host().matches("[0-9.]+");
        if (bindAddress) {
            return address;
        }
        if (!address.host().matches("[0-9a-fA-F]{64}|[a-zA-Z2-7]{52}")) {
            throw new AlknetException(ErrorCode.INVALID_ARGUMENT, flag + " '" + address.host() + "' is not an iroh endpoint id: expected "
                    + "64 hex digits, as the 'iroh address' line of alknet serve shows (iroh://ENDPOINT_ID?addr=IP:PORT)");
        }
        return new TransportAddress("iroh", address.host(), 0, address.params());
    }

    private static int port(String text, String port, String flag) {
        try {
            int value = Integer.parseInt(port);
            if (value < 0 || value > 65535) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new AlknetException(ErrorCode.INVALID_ARGUMENT, flag + " " + text + ": '" + port + "' is not a port number");
        }
    }
}
