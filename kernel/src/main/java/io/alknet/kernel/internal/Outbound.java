package io.alknet.kernel.internal;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.api.Identity;
import io.alknet.api.call.ControlChannel;
import io.alknet.api.net.TargetHost;
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
 * allowed (no second lookup a DNS rebinding could exploit). When the transport hands names to an
 * outbound proxy, names are not looked up here at all (the proxy resolves them, spec decision 7) and the
 * policy decides on the name. A target is read by {@link TargetHost}: ambiguous numeric spellings are
 * refused, never guessed. Destinations never reach a log or an error message.
 *
 * <p>Targets are dialled through the transport named by {@code server.forward-transport}; without one, the server
 * forwards nothing and says so.
 */
final class Outbound implements AutoCloseable {

    private static final String RESERVED_REASON = "alknet-* names are reserved for the control channel";

    private final Optional<Transport> forwards;
    private final DynamicConfigHolder config;
    private final AuditLog audit;
    private final ExecutorService resolver = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("alknet-resolve-", 0).factory());

    Outbound(Optional<Transport> forwards, DynamicConfigHolder config, AuditLog audit) {
        this.forwards = Objects.requireNonNull(forwards, "forwards");
        this.config = Objects.requireNonNull(config, "config");
        this.audit = Objects.requireNonNull(audit, "audit");
    }

    CompletionStage<TransportStream> open(TransportStream session, PeerInfo via, Identity identity, String host, int port) {
        PolicyDecision refusal = refusal(identity, host);
        if (refusal != null) {
            return denied(via, identity, Direction.LOCAL, refusal);
        }
        if (forwards.isEmpty()) {
            return CompletableFuture.failedFuture(forwardingOff());
        }
        Transport transport = forwards.get();
        Optional<InetAddress> literal = TargetHost.literal(host);
        try {
            if (literal.isPresent()) {
                // An address literal needs no lookup: decide and dial on the caller's (the session's) thread,
                // saving two thread hand-offs on every channel open.
                return connect(transport, session, allowed(via, identity, host, port, Protocol.TCP, List.of(literal.get())), 0, port, null);
            }
            if (transport.resolvesNamesRemotely()) {
                ForwardRequest request = new ForwardRequest(identity, Direction.LOCAL, host, port, Optional.empty(), via.transport());
                PolicyDecision decision = decide(via, identity, request);
                if (!decision.allowed()) {
                    throw denial(decision);
                }
                return transport.connect(TransportAddress.of(transport.scheme(), host, port), session);
            }
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<List<InetAddress>> allowed = CompletableFuture.supplyAsync(
                () -> allowed(via, identity, host, port, Protocol.TCP, resolve(host)), resolver);
        return allowed.thenCompose(addresses -> connect(transport, session, addresses, 0, port, null));
    }

    /** The address a relayed UDP datagram for {@code host:port} may go to (policy-checked, resolved once). */
    CompletionStage<InetSocketAddress> resolveDatagram(PeerInfo via, Identity identity, String host, int port) {
        PolicyDecision refusal = refusal(identity, host);
        if (refusal == null && forwards.isEmpty()) {
            return CompletableFuture.failedFuture(forwardingOff());
        }
        if (refusal == null && forwards.get().resolvesNamesRemotely()) {
            // the proxy carries TCP only: a datagram would leave from here, and a name would be looked up here
            refusal = PolicyDecision.deny("proxy", "UDP is not relayed while forward targets go through an outbound proxy");
        }
        if (refusal != null) {
            return denied(via, identity, Direction.LOCAL, refusal);
        }
        Optional<InetAddress> literal = TargetHost.literal(host);
        return CompletableFuture.supplyAsync(() -> new InetSocketAddress(
                allowed(via, identity, host, port, Protocol.UDP, literal.map(List::of).orElseGet(() -> resolve(host))).getFirst(), port),
                resolver);
    }

    /**
     * Why {@code host} is refused before any policy or DNS is asked: a missing scope, a reserved name, or a
     * host spelled ambiguously; {@code null} if none of these.
     */
    private static PolicyDecision refusal(Identity identity, String host) {
        if (!identity.hasScope(Identity.RELAY_CONNECT)) {
            return PolicyDecision.deny("scope", "identity lacks scope " + Identity.RELAY_CONNECT);
        }
        if (ControlChannel.isReserved(host)) {
            return PolicyDecision.deny("reserved", RESERVED_REASON);
        }
        try {
            TargetHost.literal(host);
        } catch (AlknetException e) {
            return PolicyDecision.deny("target-syntax", e.getMessage());
        }
        return null;
    }

    /** What a forward gets from a server without a forward transport. */
    static AlknetException forwardingOff() {
        return new AlknetException(ErrorCode.UNSUPPORTED, "this server forwards nothing: it has no "
                + io.alknet.kernel.KernelSettings.FORWARD_TRANSPORT + " setting");
    }

    private static List<InetAddress> resolve(String host) {
        try {
            return List.of(InetAddress.getAllByName(host));
        } catch (UnknownHostException | SecurityException | IllegalArgumentException e) {
            throw new AlknetException(ErrorCode.TARGET_UNRESOLVED, "host name does not resolve");
        }
    }

    /** The addresses among {@code resolved} the policy allows; none is a denial, logged. */
    private List<InetAddress> allowed(PeerInfo via, Identity identity, String host, int port, Protocol protocol,
                                      List<InetAddress> resolved) {
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
            throw denial(decision);
        }
        return allowed;
    }

    /** Asks the policy; logs a denial. */
    private PolicyDecision decide(PeerInfo via, Identity identity, ForwardRequest request) {
        PolicyDecision decision = config.current().forwardingPolicy().decide(request);
        if (!decision.allowed()) {
            audit.forwardDenied(via, identity, request.direction(), decision);
        }
        return decision;
    }

    /** What the client is told: the reason, never the rule (the audit line names it, for the operator). */
    private static AlknetException denial(PolicyDecision decision) {
        return new AlknetException(ErrorCode.FORWARD_DENIED, decision.reason());
    }

    /** Tries the allowed addresses in order, the next one when a connection fails. */
    private CompletionStage<TransportStream> connect(Transport transport, TransportStream session, List<InetAddress> addresses,
                                                     int index, int port, Throwable lastError) {
        if (index >= addresses.size()) {
            return CompletableFuture.failedFuture(lastError);
        }
        TransportAddress target = TransportAddress.of(transport.scheme(), addresses.get(index).getHostAddress(), port);
        return transport.connect(target, session).handle((stream, error) -> {
            if (error == null) {
                return CompletableFuture.completedFuture(stream);
            }
            return connect(transport, session, addresses, index + 1, port, unwrap(error));
        }).thenCompose(stage -> stage);
    }

    private <T> CompletionStage<T> denied(PeerInfo via, Identity identity, Direction direction, PolicyDecision decision) {
        audit.forwardDenied(via, identity, direction, decision);
        return CompletableFuture.failedFuture(new AlknetException(ErrorCode.FORWARD_DENIED, decision.reason()));
    }

    /** Decides a remote listen request ({@code tcpip-forward}); logs a denial. */
    PolicyDecision checkListen(PeerInfo via, Identity identity, String host, int port) {
        Optional<InetAddress> literal;
        try {
            literal = TargetHost.literal(host);
        } catch (AlknetException e) {
            PolicyDecision decision = PolicyDecision.deny("target-syntax", e.getMessage());
            audit.forwardDenied(via, identity, Direction.REMOTE, decision);
            return decision;
        }
        if (!identity.hasScope(Identity.RELAY_CONNECT)) {
            PolicyDecision decision = PolicyDecision.deny("scope", "identity lacks scope " + Identity.RELAY_CONNECT);
            audit.forwardDenied(via, identity, Direction.REMOTE, decision);
            return decision;
        }
        return decide(via, identity, new ForwardRequest(identity, Direction.REMOTE, host, port, literal, via.transport()));
    }

    /**
     * Decides whether {@code identity} may open the call protocol's control channel: the policy is asked
     * about {@code alknet-control:0} (rules match it with the {@code alknet-*} target). No scope is needed
     * beyond what the operations themselves require.
     */
    PolicyDecision checkControl(PeerInfo via, Identity identity) {
        ForwardRequest request = new ForwardRequest(identity, Direction.LOCAL, ControlChannel.HOST, ControlChannel.PORT,
                Optional.empty(), via.transport());
        return decide(via, identity, request);
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
