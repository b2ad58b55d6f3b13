package io.alknet.api.policy;

import io.alknet.api.Identity;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * One forward request to decide.
 *
 * @param identity  who asks
 * @param direction {@link Direction#LOCAL} to connect to {@code host:port}, {@link Direction#REMOTE} to
 *                  listen on it
 * @param host      the host as requested (name or IP literal)
 * @param port      the port as requested
 * @param address   the concrete address the kernel resolved {@code host} to and will connect to (or bind);
 *                  empty when the host is not resolved here (e.g. handed unresolved to an outbound proxy).
 *                  The kernel asks once per resolved address and only uses addresses that were allowed.
 * @param transport the kind of transport the session arrived on: {@code tcp}, {@code tls}, {@code iroh}
 * @param protocol  what is forwarded: a TCP stream or UDP datagrams
 */
public record ForwardRequest(
        Identity identity, Direction direction, String host, int port, Optional<InetAddress> address, String transport,
        Protocol protocol) {

    public ForwardRequest {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(protocol, "protocol");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /** A TCP forward request. */
    public ForwardRequest(Identity identity, Direction direction, String host, int port, Optional<InetAddress> address, String transport) {
        this(identity, direction, host, port, address, transport, Protocol.TCP);
    }

    /** The same request for one concrete resolved address. */
    public ForwardRequest withAddress(InetAddress resolved) {
        return new ForwardRequest(identity, direction, host, port, Optional.of(resolved), transport, protocol);
    }

    /** Never log this record's fields: they name a tunnel destination. */
    @Override
    public String toString() {
        return "ForwardRequest[identity=" + identity.label() + ", direction=" + direction + ", transport=" + transport
                + ", protocol=" + protocol + "]";
    }
}
