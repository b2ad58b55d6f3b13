package io.alknet.policy.rules;

import io.alknet.api.net.Cidr;

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
     * address connected to.
     */
    record Network(Cidr cidr, List<PortRange> ports) implements Target {
        @Override
        public boolean matches(String host, int port, Optional<InetAddress> address) {
            if (!inPorts(ports, port)) {
                return false;
            }
            if (address.isPresent()) {
                return cidr.contains(address.get());
            }
            return Cidr.isIpLiteral(host) && cidr.contains(InetAddress.ofLiteral(stripBrackets(host)));
        }

        @Override
        public boolean explicitlyCovers(InetAddress address, int port) {
            return inPorts(ports, port) && cidr.contains(address);
        }

        private static String stripBrackets(String host) {
            return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        }
    }

    /** The reserved control-channel names: {@code alknet-*} (case-sensitive, as the spec reserves them). */
    record Reserved() implements Target {
        @Override
        public boolean matches(String host, int port, Optional<InetAddress> address) {
            return host.startsWith("alknet-");
        }
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
