package io.alknet.api.stream;

import io.alknet.api.transport.SecurityLevel;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * What is known about the far end of a {@link TransportStream}.
 *
 * @param transport         the kind of transport: {@code tcp}, {@code tls}, {@code iroh}, … or, for a
 *                          tunnel channel, the interface name such as {@code ssh}
 * @param security          the protection the transport itself gives
 * @param remoteAddress     the peer's socket address, when the transport has one (iroh does not)
 * @param localAddress      our socket address, when the transport has one
 * @param transportIdentity an identity proven by the transport: an iroh endpoint id, a TLS client
 *                          certificate fingerprint
 * @param serverName        the TLS server name (SNI) the client asked for
 */
public record PeerInfo(
        String transport,
        SecurityLevel security,
        Optional<SocketAddress> remoteAddress,
        Optional<SocketAddress> localAddress,
        Optional<String> transportIdentity,
        Optional<String> serverName) {

    public PeerInfo {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(security, "security");
        Objects.requireNonNull(remoteAddress, "remoteAddress");
        Objects.requireNonNull(localAddress, "localAddress");
        Objects.requireNonNull(transportIdentity, "transportIdentity");
        Objects.requireNonNull(serverName, "serverName");
    }

    /** Peer info of a socket transport. */
    public static PeerInfo socket(String transport, SecurityLevel security, SocketAddress remote, SocketAddress local) {
        return new PeerInfo(transport, security, Optional.ofNullable(remote), Optional.ofNullable(local),
                Optional.empty(), Optional.empty());
    }

    /** The remote host and port as {@code ip:port} for log lines, or {@code unknown}. */
    public String remoteLabel() {
        return remoteAddress.map(PeerInfo::label).orElse("unknown");
    }

    /** The remote IP literal only (no port), or {@code unknown}; what rate limits and fail2ban key on. */
    public String remoteHost() {
        return remoteAddress
                .filter(InetSocketAddress.class::isInstance)
                .map(a -> ((InetSocketAddress) a).getAddress())
                .map(a -> a == null ? "unknown" : a.getHostAddress())
                .orElse("unknown");
    }

    private static String label(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            String host = inet.getAddress().getHostAddress();
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + inet.getPort();
        }
        return address.toString();
    }
}
