package io.alknet.kernel.internal;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.api.Identity;
import io.alknet.api.call.EnvelopeHandler;
import io.alknet.api.call.EnvelopeSender;
import io.alknet.api.interfaces.RemoteListener;
import io.alknet.api.interfaces.ServerConnection;
import io.alknet.api.interfaces.ServerContext;
import io.alknet.api.identity.Credential;
import io.alknet.api.identity.IdentityProvider;
import io.alknet.api.identity.IdentityResolution;
import io.alknet.api.policy.PolicyDecision;
import io.alknet.api.policy.Quota;
import io.alknet.api.stream.PeerInfo;
import io.alknet.api.stream.TransportStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The kernel's side of one server connection: identity resolution against the newest configuration,
 * the audit log, failed-attempt counting, and forward requests through {@link Outbound}.
 */
final class ConnectionContext implements ServerContext {

    private static final Logger LOG = LoggerFactory.getLogger("alknet.server");

    private final TransportStream stream;
    private final PeerInfo peer;
    private final DynamicConfigHolder config;
    private final Outbound outbound;
    private final RemoteListeners remoteListeners;
    private final AuditLog audit;
    private final SourceGuard guard;
    private final ServerCalls calls;
    private final KernelMetrics metrics;
    private final QuotaBook quotas;
    /** At most this many refused queries wait for the end of the connection; more are counted, not logged. */
    static final int MAX_PENDING_QUERIES = 32;

    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicBoolean protocolErrorLogged = new AtomicBoolean();
    /** Refused queries, logged as failed logins only if the connection ends without logging in; guarded by itself. */
    private final List<Runnable> refusedQueries = new ArrayList<>();
    private volatile Credential credential;
    private volatile Identity identity;
    private volatile ServerConnection connection;
    /** Gives the identity's session back to its quota; set at the first login. */
    private volatile Runnable sessionEnd;
    private volatile boolean quotaRefused;

    ConnectionContext(TransportStream stream, DynamicConfigHolder config, Outbound outbound, RemoteListeners remoteListeners,
                      AuditLog audit, SourceGuard guard, ServerCalls calls, KernelMetrics metrics, QuotaBook quotas) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.quotas = Objects.requireNonNull(quotas, "quotas");
        this.stream = Objects.requireNonNull(stream, "stream");
        this.peer = stream.peer();
        this.config = Objects.requireNonNull(config, "config");
        this.outbound = Objects.requireNonNull(outbound, "outbound");
        this.remoteListeners = Objects.requireNonNull(remoteListeners, "remoteListeners");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.guard = Objects.requireNonNull(guard, "guard");
        this.calls = Objects.requireNonNull(calls, "calls");
    }

    void attach(ServerConnection serverConnection) {
        this.connection = serverConnection;
    }

    @Override
    public PeerInfo peer() {
        return peer;
    }

    @Override
    public IdentityResolution resolve(Credential presented) {
        return resolveWith(config.current(), presented);
    }

    static IdentityResolution resolveWith(DynamicConfig snapshot, Credential presented) {
        for (IdentityProvider provider : snapshot.identityProviders()) {
            IdentityResolution resolution;
            try {
                resolution = provider.resolve(presented);
            } catch (RuntimeException e) {
                LOG.error("identity.provider.failed provider={} error={}", provider.getClass().getName(), e.toString());
                continue;
            }
            if (!(resolution instanceof IdentityResolution.Unknown)) {
                return resolution;
            }
        }
        return IdentityResolution.unknown();
    }

    @Override
    public void authenticated(Credential presented, Identity resolved) {
        if (sessionEnd == null) {
            try {
                sessionEnd = quotas.openSession(resolved, quota(resolved), peer.remoteHost());
            } catch (AlknetException e) {
                quotaRefused = true; // a good credential past its sessions quota: no attack, no penalty for the source
                throw e;
            }
        }
        if (this.identity == null) {
            guard.authenticated();
        }
        this.credential = presented;
        this.identity = resolved;
        synchronized (refusedQueries) {
            refusedQueries.clear(); // keys offered before the one that logged in were no attack
        }
        audit.authSuccess(peer, presented.user(), presented.method(), presented.label(), resolved);
    }

    @Override
    public boolean authenticationFailed(Credential presented, String reason) {
        audit.authFailure(peer, presented.user(), presented.method(), presented.label(), reason);
        return countFailure();
    }

    @Override
    public boolean authenticationFailed(String user, String method, String reason) {
        audit.authFailure(peer, user, method, "-", reason);
        return countFailure();
    }

    @Override
    public void protocolError(String reason) {
        if (protocolErrorLogged.compareAndSet(false, true)) {
            audit.protocolError(peer, reason);
        }
    }

    @Override
    public boolean queryRefused(Credential presented, String reason) {
        return deferFailure(() -> audit.authFailure(peer, presented.user(), presented.method(), presented.label(), reason));
    }

    @Override
    public boolean queryRefused(String user, String method, String reason) {
        return deferFailure(() -> audit.authFailure(peer, user, method, "-", reason));
    }

    private boolean deferFailure(Runnable logLine) {
        synchronized (refusedQueries) {
            if (refusedQueries.size() < MAX_PENDING_QUERIES) {
                refusedQueries.add(logLine);
            }
        }
        return countFailure();
    }

    /**
     * The connection ended: a refused query it made counts as a failed login now (one fixed-format line each)
     * unless the connection logged in. Call once, before the penalties are reckoned.
     */
    void ended() {
        Runnable session = sessionEnd;
        if (session != null) {
            session.run();
        }
        List<Runnable> lines;
        synchronized (refusedQueries) {
            lines = identity == null ? List.copyOf(refusedQueries) : List.of();
            refusedQueries.clear();
        }
        lines.forEach(Runnable::run);
    }

    private boolean countFailure() {
        int count = failures.incrementAndGet();
        int maxAuthAttempts = config.current().limits().maxAuthAttempts();
        return maxAuthAttempts <= 0 || count < maxAuthAttempts;
    }

    /** How the connection went, for the per-source penalties. */
    SourceGuard.Outcome outcome() {
        if (identity != null || quotaRefused) {
            return SourceGuard.Outcome.AUTHENTICATED;
        }
        return failures.get() > 0 ? SourceGuard.Outcome.AUTH_FAILED : SourceGuard.Outcome.NO_AUTH;
    }

    @Override
    public CompletionStage<TransportStream> openTarget(Identity who, String host, int port) {
        QuotaBook.Channel channel;
        try {
            channel = quotas.openChannel(who, quota(who), peer.remoteHost());
        } catch (AlknetException e) {
            metrics.channelFailed(KernelMetrics.ChannelKind.DIRECT_TCPIP, e.code().name());
            return debugOutcome(CompletableFuture.failedFuture(e), who, "forward.opened", "forward.failed", "local");
        }
        CompletionStage<TransportStream> metered = outbound.open(stream, peer, who, host, port).handle((target, error) -> {
            if (error != null) {
                channel.release();
                throw error instanceof java.util.concurrent.CompletionException completion ? completion
                        : new java.util.concurrent.CompletionException(error);
            }
            return channel.meter(target);
        });
        return debugOutcome(counted(KernelMetrics.ChannelKind.DIRECT_TCPIP, metered), who, "forward.opened", "forward.failed", "local");
    }

    /**
     * The limits in force for {@code who}: the stricter of its credential's quota and the newest policy's. A policy that
     * fails to answer limits nothing beyond the credential's own quota (and says so in the log).
     */
    private Quota quota(Identity who) {
        return quota(who, config.current());
    }

    private static Quota quota(Identity who, DynamicConfig snapshot) {
        try {
            return who.quota().tighter(snapshot.forwardingPolicy().quota(who));
        } catch (RuntimeException e) {
            LOG.error("policy.quota.failed identity={} error={}", LogFields.safe(who.label()), e.toString());
            return who.quota();
        }
    }

    @Override
    public CompletionStage<java.net.InetSocketAddress> resolveDatagramTarget(Identity who, String host, int port) {
        return debugOutcome(outbound.resolveDatagram(peer, who, host, port).whenComplete((address, error) -> {
            if (error == null) {
                metrics.channelOpened(KernelMetrics.ChannelKind.UDP);
            } else {
                metrics.channelFailed(KernelMetrics.ChannelKind.UDP, AlknetException.codeOf(error, ErrorCode.CONNECTION_FAILED).name());
            }
        }), who, "udp.relay.opened", "udp.relay.failed", "local");
    }

    /** Counts a forward's channel as it opens or fails, and its bytes and its life while open. */
    private CompletionStage<TransportStream> counted(KernelMetrics.ChannelKind kind, CompletionStage<TransportStream> opening) {
        if (!metrics.metrics().enabled()) {
            return opening;
        }
        return opening.handle((target, error) -> {
            if (error != null) {
                metrics.channelFailed(kind, AlknetException.codeOf(error, ErrorCode.CONNECTION_FAILED).name());
                throw error instanceof java.util.concurrent.CompletionException completion ? completion
                        : new java.util.concurrent.CompletionException(error);
            }
            return counted(kind, target);
        });
    }

    private TransportStream counted(KernelMetrics.ChannelKind kind, TransportStream target) {
        metrics.channelOpened(kind);
        Runnable closed = metrics.channelActive(kind);
        target.closeFuture().whenComplete((ignored, error) -> closed.run());
        return metrics.countTargetBytes(kind, target);
    }

    /** DEBUG lines for operators: who opened what kind of forward and how it ended, never where to. */
    private <T> CompletionStage<T> debugOutcome(CompletionStage<T> stage, Identity who, String opened, String failed, String direction) {
        if (!LOG.isDebugEnabled()) {
            return stage;
        }
        return stage.whenComplete((result, error) -> {
            if (error == null) {
                LOG.debug("{} remote_addr={} identity={} direction={}", opened, peer.remoteHost(), LogFields.safe(who.label()), direction);
            } else {
                LOG.debug("{} remote_addr={} identity={} direction={} code={}", failed, peer.remoteHost(), LogFields.safe(who.label()),
                        direction, AlknetException.codeOf(error, ErrorCode.CONNECTION_FAILED));
            }
        });
    }

    @Override
    public CompletionStage<RemoteListener> listenRemote(Identity who, String bindHost, int bindPort,
                                                        Consumer<TransportStream> accepted) {
        // localhost is both loopback addresses, one host to the policy
        PolicyDecision decision = outbound.checkListen(peer, who, RemoteListeners.LOOPBACK.equals(bindHost) ? "127.0.0.1" : bindHost, bindPort);
        if (!decision.allowed()) {
            return CompletableFuture.failedFuture(new AlknetException(ErrorCode.FORWARD_DENIED, decision.reason()));
        }
        Consumer<TransportStream> metered = connection -> {
            QuotaBook.Channel channel;
            try {
                channel = quotas.openChannel(who, quota(who), peer.remoteHost());
            } catch (AlknetException e) {
                metrics.channelFailed(KernelMetrics.ChannelKind.FORWARDED_TCPIP, e.code().name());
                connection.abort(); // the identity has as many channels as it may: this connection is not forwarded
                return;
            }
            accepted.accept(channel.meter(connection));
        };
        Consumer<TransportStream> counting = metrics.metrics().enabled()
                ? connection -> metered.accept(counted(KernelMetrics.ChannelKind.FORWARDED_TCPIP, connection)) : metered;
        return debugOutcome(remoteListeners.listen(bindHost, bindPort, counting), who, "forward.listen.opened",
                "forward.listen.failed", "remote");
    }

    @Override
    public EnvelopeHandler openCalls(Identity who, EnvelopeSender toPeer) {
        PolicyDecision decision = outbound.checkControl(peer, who);
        if (!decision.allowed()) {
            metrics.channelFailed(KernelMetrics.ChannelKind.CONTROL, ErrorCode.FORWARD_DENIED.name());
            throw new AlknetException(ErrorCode.FORWARD_DENIED, decision.reason());
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("calls.opened remote_addr={} identity={}", peer.remoteHost(), LogFields.safe(who.label()));
        }
        metrics.channelOpened(KernelMetrics.ChannelKind.CONTROL);
        return calls.open(who, toPeer, peer.remoteHost());
    }

    /**
     * After a reload: closes the session if its credential no longer resolves to an identity.
     *
     * @return true if the session was closed
     */
    boolean revalidate(DynamicConfig snapshot, Duration grace) {
        Credential presented = credential;
        ServerConnection current = connection;
        if (presented == null || current == null) {
            return false;
        }
        if (resolveWith(snapshot, presented) instanceof IdentityResolution.Resolved resolved) {
            // the reloaded quota (a new policy line, a changed key option) caps the open channels at once
            Identity who = resolved.identity();
            quotas.account(who, quota(who, snapshot));
            return false;
        }
        LOG.info("session.revoked remote_addr={} identity={}", peer.remoteHost(), LogFields.safe(identity.label()));
        current.close(grace);
        return true;
    }
}
