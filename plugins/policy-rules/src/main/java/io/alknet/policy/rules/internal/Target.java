package io.alknet.policy.rules.internal;

import io.alknet.api.call.ControlChannel;
import io.alknet.api.net.Cidr;
import io.alknet.api.net.TargetHost;

import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The destination part of a rule: which hosts and ports it covers.
 */
sealed interface Target {

    /** True if the rule covers {@code host:port}, where {@code address} is what {@code host} resolved to. */
    boolean matches(String host, int port, Optional<InetAddress> address);

    /** True if the target names addresses explicitly (a CIDR or IP literal) and covers {@code address}. */
    default boolean explicitlyCovers(InetAddress address, int port) {
        return false;
    }

    /** True if the target lists {@code port} explicitly: its ports are not {@code *} (all of them). */
    default boolean namesPort(int port) {
        return false;
    }

    /** Any host, any port: {@code *}. */
    record Any() implements Target {
        @Override
        public boolean matches(String host, int port, Optional<InetAddress> address) {
            return true;
        }
    }

    /**
     * A host name pattern: an exact name or one {@code *} wildcard ({@code *.example.com} matches
     * subdomains but not the apex; {@code db-*}). Compared case-insensitively with the host as requested.
     */
    record HostPattern(String pattern, List<PortRange> ports) implements Target {
        @Override
        public boolean matches(String host, int port, Optional<InetAddress> address) {
            return inPorts(ports, port) && hostMatches(pattern, host.toLowerCase(Locale.ROOT));
        }

        @Override
        public boolean namesPort(int port) {
            return inPorts(ports, port) && !allPorts(ports);
        }

        static boolean hostMatches(String pattern, String host) {
            int star = pattern.indexOf('*');
            if (star < 0) {
                return pattern.equals(host);
            }
            if (pattern.equals("*")) {
                return true;
            }
            String prefix = pattern.substring(0, star);
            String suffix = pattern.substring(star + 1);
            return host.length() >= prefix.length() + suffix.length() + 1
                    && host.startsWith(prefix) && host.endsWith(suffix);
        }
    }

    /**
     * An IP network: matches the concrete address the request resolved to (or its IP literal), never a
     * bare host name. This is what makes rules safe against DNS tricks: the address checked is the
     * address connected to. Loopback in either family and the unspecified addresses ({@code 0.0.0.0},
     * {@code ::}) are all the server itself: each matches a network that holds a loopback address of either
     * family, so a rule about 127.0.0.0/8 also covers {@code [::1]} (and {@code localhost} resolved to it), and
     * one about {@code ::1} covers 127.0.0.1.
     */
    record Network(Cidr cidr, List<PortRange> ports) implements Target {

        private static final List<InetAddress> LOOPBACK = List.of(InetAddress.ofLiteral("127.0.0.1"), InetAddress.ofLiteral("::1"));

        @Override
        public boolean matches(String host, int port, Optional<InetAddress> address) {
            if (!inPorts(ports, port)) {
                return false;
            }
            Optional<InetAddress> checked = address.isPresent() ? address : literal(host);
            return checked.isPresent() && (cidr.contains(checked.get())
                    || thisHost(checked.get()) && LOOPBACK.stream().anyMatch(cidr::contains));
        }

        private static boolean thisHost(InetAddress address) {
            return address.isLoopbackAddress() || TargetHost.isUnspecified(address);
        }

        @Override
        public boolean explicitlyCovers(InetAddress address, int port) {
            return inPorts(ports, port) && cidr.contains(address);
        }

        @Override
        public boolean namesPort(int port) {
            return inPorts(ports, port) && !allPorts(ports);
        }

        boolean coversPort(int port) {
            return inPorts(ports, port);
        }

        private static Optional<InetAddress> literal(String host) {
            try {
                return TargetHost.literal(host);
            } catch (io.alknet.api.AlknetException e) {
                return Optional.empty();
            }
        }
    }

    /**
     * The reserved control-channel names: {@code alknet-*}, in any letter case, as the server reserves them
     * (host names are case-insensitive, so {@code ALKNET-control} is the same name).
     */
    record Reserved() implements Target {
        @Override
        public boolean matches(String host, int port, Optional<InetAddress> address) {
            return ControlChannel.isReserved(host);
        }
    }

    private static boolean allPorts(List<PortRange> ports) {
        return ports.stream().anyMatch(range -> range.low() <= 1 && range.high() == 65535);
    }

    private static boolean inPorts(List<PortRange> ports, int port) {
        for (PortRange range : ports) {
            if (range.contains(port)) {
                return true;
            }
        }
        return false;
    }
}
