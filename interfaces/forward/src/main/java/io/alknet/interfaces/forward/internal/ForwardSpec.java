package io.alknet.interfaces.forward.internal;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.api.net.TargetHost;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A forward in OpenSSH's syntax: {@code [BIND:]PORT:HOST:HOSTPORT}, IPv6 addresses in brackets
 * ({@code [::1]:8080:[2001:db8::1]:80}). Without a bind address, local forwards listen on loopback.
 *
 * @param bindHost the address to listen on ({@code 127.0.0.1} by default)
 * @param bindPort the port to listen on ({@code 0} = any free port)
 * @param host     the destination host, as the far end resolves it
 * @param hostPort the destination port
 */
public record ForwardSpec(String bindHost, int bindPort, String host, int hostPort) {

    public ForwardSpec {
        Objects.requireNonNull(bindHost, "bindHost");
        Objects.requireNonNull(host, "host");
    }

    /**
     * @param flag the flag name for messages, e.g. {@code -L}
     * @throws AlknetException {@code INVALID_ARGUMENT} quoting the spec and saying what is wrong
     */
    public static ForwardSpec parse(String flag, String spec, String defaultBind) {
        List<String> fields = fields(flag, spec);
        if (fields.size() != 3 && fields.size() != 4) {
            throw invalid(flag, spec, "expected [BIND:]PORT:HOST:HOSTPORT, e.g. " + flag + " 8080:localhost:80");
        }
        int offset = fields.size() - 3;
        String bind = offset == 1 ? fields.get(0) : defaultBind;
        if (bind.isEmpty() || bind.equals("*")) {
            bind = offset == 1 ? "0.0.0.0" : defaultBind;
        }
        int bindPort = port(flag, spec, fields.get(offset), true);
        String host = fields.get(offset + 1);
        if (host.isEmpty()) {
            throw invalid(flag, spec, "the destination host is empty");
        }
        int hostPort = port(flag, spec, fields.get(offset + 2), false);
        unambiguous(flag, spec, bind);
        unambiguous(flag, spec, host);
        return new ForwardSpec(bind, bindPort, host, hostPort);
    }

    /** Splits on colons outside brackets; bracketed fields lose their brackets. */
    private static List<String> fields(String flag, String spec) {
        List<String> fields = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean bracket = false;
        for (int i = 0; i < spec.length(); i++) {
            char c = spec.charAt(i);
            if (c == '[' && !bracket && current.isEmpty()) {
                bracket = true;
            } else if (c == ']' && bracket) {
                bracket = false;
                if (i + 1 < spec.length() && spec.charAt(i + 1) != ':') {
                    throw invalid(flag, spec, "a ']' must be followed by ':'");
                }
            } else if (c == ':' && !bracket) {
                fields.add(current.toString());
                current.setLength(0);
            } else if (c == '[' || c == ']') {
                throw invalid(flag, spec, "misplaced bracket; IPv6 addresses look like [::1]");
            } else {
                current.append(c);
            }
        }
        if (bracket) {
            throw invalid(flag, spec, "unclosed '['");
        }
        fields.add(current.toString());
        return fields;
    }

    /** The far end refuses ambiguous numeric hosts (127.1, 0177.0.0.1); say so before connecting. */
    private static void unambiguous(String flag, String spec, String host) {
        try {
            TargetHost.literal(host);
        } catch (AlknetException e) {
            throw invalid(flag, spec, "'" + host + "': " + e.getMessage());
        }
    }

    private static int port(String flag, String spec, String text, boolean zeroAllowed) {
        try {
            int port = Integer.parseInt(text);
            if (port < (zeroAllowed ? 0 : 1) || port > 65535) {
                throw invalid(flag, spec, "port " + text + " is out of range " + (zeroAllowed ? "0" : "1") + "-65535");
            }
            return port;
        } catch (NumberFormatException e) {
            throw invalid(flag, spec, "'" + text + "' is not a port number");
        }
    }

    private static AlknetException invalid(String flag, String spec, String reason) {
        return new AlknetException(ErrorCode.INVALID_ARGUMENT, "bad " + flag + " spec '" + spec + "': " + reason);
    }
}
