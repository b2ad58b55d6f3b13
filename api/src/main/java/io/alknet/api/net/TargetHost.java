package io.alknet.api.net;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads a forward target's host the one way every part of alknet agrees on: an IPv4 address is four
 * decimal numbers without leading zeros ({@code 127.0.0.1}), an IPv6 address is a literal (brackets
 * optional), anything else is a host name. Numeric spellings that programs read differently
 * ({@code 0177.0.0.1} is 127.0.0.1 to {@code inet_aton} and 177.0.0.1 to Java; {@code 127.1},
 * {@code 2130706433}, {@code 0x7f.1}) are refused instead of guessed, because a policy that reads them
 * one way while a resolver or a proxy dials them another way can be bypassed.
 *
 * <p>Stateless and thread-safe; no DNS.
 */
public final class TargetHost {

    private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
    private static final Pattern CANONICAL_IPV4 = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");
    /** A label that resolvers read as a number (WHATWG URL: "ends in a number"): decimal, or 0x hex. */
    private static final Pattern NUMERIC_LABEL = Pattern.compile("[0-9]+|0[xX][0-9a-fA-F]*");

    private TargetHost() {
    }

    /**
     * The address {@code host} spells, or empty for a host name.
     *
     * @param host a host name, an IPv4 address, or an IPv6 address with or without brackets
     * @throws AlknetException {@code INVALID_ARGUMENT} for an ambiguous numeric form or a malformed IPv6
     *     literal; the message does not repeat the host (it may be a tunnel destination)
     */
    public static Optional<InetAddress> literal(String host) {
        Objects.requireNonNull(host, "host");
        boolean bracketed = host.length() > 1 && host.startsWith("[") && host.endsWith("]");
        String bare = bracketed ? host.substring(1, host.length() - 1) : host;
        if (bare.indexOf(':') >= 0) {
            return Optional.of(ipv6(bare));
        }
        if (bracketed) {
            throw invalid("only IPv6 addresses go in brackets");
        }
        if (CANONICAL_IPV4.matcher(bare).matches()) {
            return Optional.of(InetAddress.ofLiteral(bare));
        }
        String name = bare.endsWith(".") ? bare.substring(0, bare.length() - 1) : bare;
        String lastLabel = name.substring(name.lastIndexOf('.') + 1);
        if (NUMERIC_LABEL.matcher(lastLabel).matches()) {
            throw ambiguous();
        }
        return Optional.empty();
    }

    /** True if {@code host} is an IP address in an accepted spelling (an ambiguous one is false). */
    public static boolean isLiteral(String host) {
        try {
            return literal(host).isPresent();
        } catch (AlknetException e) {
            return false;
        }
    }

    /**
     * True for the unspecified addresses {@code 0.0.0.0/8} ("this host on this network") and {@code ::},
     * also when embedded in IPv6. Connecting to one reaches the machine itself, like loopback.
     */
    public static boolean isUnspecified(InetAddress address) {
        Objects.requireNonNull(address, "address");
        if (address instanceof Inet4Address) {
            return address.getAddress()[0] == 0;
        }
        if (address.isAnyLocalAddress()) {
            return true;
        }
        InetAddress embedded = Cidr.embeddedIpv4(address);
        return embedded != null && embedded.getAddress()[0] == 0;
    }

    private static InetAddress ipv6(String text) {
        if (text.indexOf('%') >= 0) {
            throw invalid("IPv6 zone ids (%eth0) are not allowed in a target");
        }
        int lastColon = text.lastIndexOf(':');
        String tail = text.substring(lastColon + 1);
        if (tail.indexOf('.') >= 0 && !CANONICAL_IPV4.matcher(tail).matches()) {
            throw ambiguous();
        }
        try {
            return InetAddress.ofLiteral(text);
        } catch (IllegalArgumentException e) {
            throw invalid("not an IPv6 address");
        }
    }

    private static AlknetException ambiguous() {
        return invalid("ambiguous numeric address (leading zeros, fewer than four parts, hex or a single number are read "
                + "differently by different programs); write IPv4 as four decimal numbers, e.g. 127.0.0.1");
    }

    private static AlknetException invalid(String reason) {
        return new AlknetException(ErrorCode.INVALID_ARGUMENT, reason);
    }
}
