package io.alknet.kernel.internal;

import io.alknet.api.stream.PeerInfo;
import io.alknet.kernel.ServerLimits;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Decides whether a new connection may start, per source address: the penalty box (OpenSSH's
 * {@code PerSourcePenalties}), concurrent connections per address, and the server-wide cap on
 * unauthenticated connections (OpenSSH's {@code MaxStartups}). Requests to a message interface (HTTP) share
 * the penalty box: each failed one adds its penalty at once. Reads the newest {@link ServerLimits} on
 * every decision, so a reload applies at once. Thread-safe; per-source state lives in one map entry
 * updated atomically, and entries go away when a source has neither connections nor penalty.
 */
final class SourceGuard {

    /** At most this many sources are tracked; beyond it new penalties are not recorded (logged once). */
    static final int MAX_SOURCES = 65_536;

    private final Supplier<ServerLimits> limits;
    private final Clock clock;
    private final AuditLog audit;
    private final ConcurrentMap<String, Source> sources = new ConcurrentHashMap<>();
    private final AtomicInteger unauthenticated = new AtomicInteger();
    private final AtomicLong decisions = new AtomicLong();
    private volatile boolean overflowLogged;

    SourceGuard(Supplier<ServerLimits> limits, Clock clock, AuditLog audit) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.audit = Objects.requireNonNull(audit, "audit");
    }

    /** How a connection ended, for penalties. */
    enum Outcome {
        /** It authenticated: no penalty. */
        AUTHENTICATED,
        /** It tried to authenticate and never succeeded. */
        AUTH_FAILED,
        /** It ended without trying (a scan, a probe, a timeout before any attempt). */
        NO_AUTH
    }

    /** One source's state. Immutable; replaced atomically in the map. */
    private record Source(int connections, Instant penaltyUntil, Instant blockedUntil) {
        boolean idle(Instant now) {
            return connections == 0 && !penaltyUntil.isAfter(now) && !blockedUntil.isAfter(now);
        }
    }

    /**
     * Admits a connection and counts it, or refuses it with a reason code ({@code penalty},
     * {@code too_many_connections}, {@code max_startups}) and logs the refusal. An admitted connection must
     * be reported once through {@link #closed}.
     *
     * @return null when admitted, else the reason
     */
    String admit(PeerInfo peer) {
        ServerLimits current = limits.get();
        Instant now = clock.instant();
        if (decisions.incrementAndGet() % 1024 == 0) {
            sweep(now);
        }
        String key = key(peer);
        String[] refused = {null};
        if (key != null) {
            sources.compute(key, (k, source) -> {
                Source state = source == null ? new Source(0, Instant.EPOCH, Instant.EPOCH) : source;
                if (current.penalties().enabled() && state.blockedUntil().isAfter(now)) {
                    refused[0] = "penalty";
                } else if (current.maxConnectionsPerIp() > 0 && state.connections() >= current.maxConnectionsPerIp()) {
                    refused[0] = "too_many_connections";
                } else if (dropForStartups(current.maxStartups())) {
                    refused[0] = "max_startups";
                } else {
                    return new Source(state.connections() + 1, state.penaltyUntil(), state.blockedUntil());
                }
                return state.idle(now) ? null : state;
            });
        } else if (dropForStartups(current.maxStartups())) {
            refused[0] = "max_startups";
        }
        if (refused[0] != null) {
            audit.connectionRejected(peer, refused[0]);
            return refused[0];
        }
        unauthenticated.incrementAndGet();
        return null;
    }

    private boolean dropForStartups(ServerLimits.MaxStartups startups) {
        if (!startups.enabled()) {
            return false;
        }
        int waiting = unauthenticated.get();
        if (waiting < startups.start()) {
            return false;
        }
        if (waiting >= startups.full()) {
            return true;
        }
        double span = Math.max(1, startups.full() - startups.start());
        double probability = (startups.rate() + (100 - startups.rate()) * (waiting - startups.start()) / span) / 100.0;
        return ThreadLocalRandom.current().nextDouble() < probability;
    }

    /** The connection authenticated: it no longer counts against {@code MaxStartups}. Call at most once. */
    void authenticated() {
        unauthenticated.decrementAndGet();
    }

    /** An admitted connection ended; penalties accrue to its source. */
    void closed(PeerInfo peer, Outcome outcome) {
        if (outcome != Outcome.AUTHENTICATED) {
            unauthenticated.decrementAndGet();
        }
        penalize(peer, outcome, 1);
    }

    /**
     * Whether a request to a message interface (HTTP, which keeps its own connections) may be served: refuses
     * it while its source sits in the penalty box, and logs the refusal as {@link #admit} does.
     *
     * @return null when the request may go on, else the reason ({@code penalty})
     */
    String admitRequest(PeerInfo peer) {
        Instant now = clock.instant();
        if (decisions.incrementAndGet() % 1024 == 0) {
            sweep(now);
        }
        String key = key(peer);
        Source state = key == null ? null : sources.get(key);
        if (state == null || !limits.get().penalties().enabled() || !state.blockedUntil().isAfter(now)) {
            return null;
        }
        audit.connectionRejected(peer, "penalty");
        return "penalty";
    }

    /**
     * A request to a message interface failed to authenticate: its source earns the penalty at once, as a
     * connection that ended that way would ({@code AUTH_FAILED} for a wrong credential, {@code NO_AUTH} for none).
     */
    void requestFailed(PeerInfo peer, Outcome outcome) {
        penalize(peer, outcome, 0);
    }

    /** Adds the outcome's penalty to the source, which ends {@code connectionsEnded} connections. */
    private void penalize(PeerInfo peer, Outcome outcome, int connectionsEnded) {
        String key = key(peer);
        if (key == null) {
            return;
        }
        ServerLimits.Penalties penalties = limits.get().penalties();
        Duration penalty = !penalties.enabled() ? Duration.ZERO : switch (outcome) {
            case AUTHENTICATED -> Duration.ZERO;
            case AUTH_FAILED -> penalties.authFailure();
            case NO_AUTH -> penalties.noAuth();
        };
        Instant now = clock.instant();
        Instant[] blocked = {null};
        sources.compute(key, (k, source) -> {
            Source state = source == null ? new Source(connectionsEnded, Instant.EPOCH, Instant.EPOCH) : source;
            Instant until = state.penaltyUntil();
            Instant blockedUntil = state.blockedUntil();
            if (!penalty.isZero() && (source != null || sources.size() < MAX_SOURCES)) {
                until = (until.isAfter(now) ? until : now).plus(penalty);
                if (until.isAfter(now.plus(penalties.max()))) {
                    until = now.plus(penalties.max());
                }
                if (!blockedUntil.isAfter(now) && !Duration.between(now, until).minus(penalties.threshold()).isNegative()) {
                    blockedUntil = until;
                    blocked[0] = until;
                }
            }
            Source next = new Source(Math.max(0, state.connections() - connectionsEnded), until, blockedUntil);
            return next.idle(now) ? null : next;
        });
        if (blocked[0] != null) {
            audit.sourcePenalized(peer, Duration.between(now, blocked[0]), outcome == Outcome.AUTH_FAILED ? "authfail" : "noauth");
        }
        if (sources.size() >= MAX_SOURCES && !overflowLogged) {
            overflowLogged = true;
            audit.connectionRejected(peer, "penalty_table_full");
        }
    }

    /** Drops sources with nothing left to remember. */
    private void sweep(Instant now) {
        sources.entrySet().removeIf(entry -> entry.getValue().idle(now));
        if (sources.size() < MAX_SOURCES / 2) {
            overflowLogged = false;
        }
    }

    int trackedSources() {
        return sources.size();
    }

    int unauthenticatedConnections() {
        return unauthenticated.get();
    }

    /** Sources are addresses; a transport without one (iroh) is not tracked per source. */
    private static String key(PeerInfo peer) {
        String host = peer.remoteHost();
        return host == null || host.equals("unknown") ? null : host;
    }
}
