package io.alknet.kernel.internal;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.api.Identity;
import io.alknet.api.policy.Direction;
import io.alknet.api.policy.ForwardRequest;
import io.alknet.api.policy.PolicyDecision;
import io.alknet.api.policy.Protocol;
import io.alknet.api.stream.PeerInfo;
import io.alknet.api.stream.TransportStream;
import io.alknet.api.transport.Transport;
import io.alknet.api.transport.TransportAddress;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Opens forward targets for sessions, safely: the host is resolved once, every resolved address is
 * checked against the forwarding policy, and the connection goes to exactly an address that was
 * allowed (no second lookup a DNS rebinding could exploit). Destinations never reach a log or an
 * error message.
 */
final class Outbound implements AutoCloseable {

    /** Host names with this prefix are reserved for alknet's control channel; they are never dialled. */
    static final String RESERVED_PREFIX = "alknet-";

    private final Transport transport;
    private final DynamicConfigHolder config;
    private final AuditLog audit;
    private final ExecutorService resolver = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("alknet-resolve-", 0).factory());

    Outbound(Transport transport, DynamicConfigHolder config, AuditLog audit) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.config = Objects.requireNonNull(config, "config");
        this.audit = Objects.requireNonNull(audit, "audit");
    }

    CompletionStage<TransportStream> open(TransportStream session, PeerInfo via, Identity identity, String host, int port) {
        if (!identity.hasScope(Identity.RELAY_CONNECT)) {
            return denied(via, identity, Direction.LOCAL,
                    PolicyDecision.deny("scope", "identity lacks scope " + Identity.RELAY_CONNECT));
        }
        if (host.startsWith(RESERVED_PREFIX)) {
            return denied(via, identity, Direction.LOCAL,
                    PolicyDecision.deny("reserved", "alknet-* names are reserved for the control channel"));
        }
        if (literal(host).isPresent()) {
            // An address literal needs no lookup: decide and dial on the caller's (the session's) thread,
            // saving two thread hand-offs on every channel open.
            try {
                return connect(session, allowedAddresses(via, identity, host, port, Protocol.TCP), 0, port, null);
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        CompletableFuture<List<InetAddress>> allowed = CompletableFuture.supplyAsync(
                () -> allowedAddresses(via, identity, host, port, Protocol.TCP), resolver);
        return allowed.thenCompose(addresses -> connect(session, addresses, 0, port, null));
    }

    /** The address a relayed UDP datagram for {@code host:port} may go to (policy-checked, resolved once). */
    CompletionStage<InetSocketAddress> resolveDatagram(PeerInfo via, Identity identity, String host, int port) {
        if (!identity.hasScope(Identity.RELAY_CONNECT)) {
            return denied(via, identity, Direction.LOCAL,
                    PolicyDecision.deny("scope", "identity lacks scope " + Identity.RELAY_CONNECT));
        }
        if (host.startsWith(RESERVED_PREFIX)) {
            return denied(via, identity, Direction.LOCAL,
                    PolicyDecision.deny("reserved", "alknet-* names are reserved for the control channel"));
        }
        return CompletableFuture.supplyAsync(() -> new InetSocketAddress(
                allowedAddresses(via, identity, host, port, Protocol.UDP).getFirst(), port), resolver);
    }

    private List<InetAddress> allowedAddresses(PeerInfo via, Identity identity, String host, int port, Protocol protocol) {
        InetAddress[] resolved;
        try {
            resolved = InetAddress.getAllByName(host);
        } catch (UnknownHostException | SecurityException | IllegalArgumentException e) {
            throw new AlknetException(ErrorCode.TARGET_UNRESOLVED, "host name does not resolve");
        }
        ForwardRequest request = new ForwardRequest(identity, Direction.LOCAL, host, port, Optional.empty(), via.transport(), protocol);
        List<InetAddress> allowed = new ArrayList<>();
        PolicyDecision firstDenial = null;
        var policy = config.current().forwardingPolicy();
        for (InetAddress address : resolved) {
            PolicyDecision decision = policy.decide(request.withAddress(address));
            if (decision.allowed()) {
                allowed.add(address);
            } else if (firstDenial == null) {
                firstDenial = decision;
            }
        }
        if (allowed.isEmpty()) {
            PolicyDecision decision = firstDenial != null ? firstDenial : PolicyDecision.deny("default", "no address");
            audit.forwardDenied(via, identity, Direction.LOCAL, decision);
            throw new AlknetException(ErrorCode.FORWARD_DENIED, decision.reason() + " (rule " + decision.rule() + ")");
        }
        return allowed;
    }

    /** Tries the allowed addresses in order, the next one when a connection fails. */
    private CompletionStage<TransportStream> connect(TransportStream session, List<InetAddress> addresses, int index, int port,
                                                     Throwable lastError) {
        if (index >= addresses.size()) {
            return CompletableFuture.failedFuture(lastError);
        }
        TransportAddress target = TransportAddress.of(transport.scheme(), addresses.get(index).getHostAddress(), port);
        return transport.connect(target, session).handle((stream, error) -> {
            if (error == null) {
                return CompletableFuture.completedFuture(stream);
            }
            return connect(session, addresses, index + 1, port, unwrap(error));
        }).thenCompose(stage -> stage);
    }

    private <T> CompletionStage<T> denied(PeerInfo via, Identity identity, Direction direction, PolicyDecision decision) {
        audit.forwardDenied(via, identity, direction, decision);
        return CompletableFuture.failedFuture(new AlknetException(ErrorCode.FORWARD_DENIED, decision.reason()));
    }

    /** Decides a remote listen request ({@code tcpip-forward}); logs a denial. */
    PolicyDecision checkListen(PeerInfo via, Identity identity, String host, int port) {
        PolicyDecision decision;
        if (!identity.hasScope(Identity.RELAY_CONNECT)) {
            decision = PolicyDecision.deny("scope", "identity lacks scope " + Identity.RELAY_CONNECT);
        } else {
            ForwardRequest request = new ForwardRequest(identity, Direction.REMOTE, host, port, literal(host), via.transport());
            decision = config.current().forwardingPolicy().decide(request);
        }
        if (!decision.allowed()) {
            audit.forwardDenied(via, identity, Direction.REMOTE, decision);
        }
        return decision;
    }

    /**
     * Decides whether {@code identity} may open the call protocol's control channel: the policy is asked
     * about {@code alknet-control:0} (rules match it with the {@code alknet-*} target). No scope is needed
     * beyond what the operations themselves require.
     */
    PolicyDecision checkControl(PeerInfo via, Identity identity) {
        ForwardRequest request = new ForwardRequest(identity, Direction.LOCAL, io.alknet.api.call.ControlChannel.HOST,
                io.alknet.api.call.ControlChannel.PORT, Optional.empty(), via.transport());
        PolicyDecision decision = config.current().forwardingPolicy().decide(request);
        if (!decision.allowed()) {
            audit.forwardDenied(via, identity, Direction.LOCAL, decision);
        }
        return decision;
    }

    private static Optional<InetAddress> literal(String host) {
        try {
            return Optional.of(InetAddress.ofLiteral(host));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Throwable unwrap(Throwable error) {
        Throwable current = error;
        while (current instanceof java.util.concurrent.CompletionException && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    @Override
    public void close() {
        resolver.shutdownNow();
    }
}
