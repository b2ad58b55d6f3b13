package io.alknet.kernel.internal;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.api.Identity;
import io.alknet.api.metrics.Metrics;
import io.alknet.api.policy.Quota;
import io.alknet.api.stream.TransportStream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The server's per-identity accounting and quotas: one {@link IdentityAccount} per identity that logged in, kept for
 * the life of the server (a configuration reload changes the limits, never the counts). Sessions and channels beyond
 * the quota are refused with {@link ErrorCode#QUOTA_EXCEEDED} and a message that names the limit; bandwidth beyond it
 * is slowed ({@link MeteredStream}). Log lines name the identity and the limit, never a destination. Thread-safe.
 */
final class QuotaBook {

    private static final Logger LOG = LoggerFactory.getLogger("alknet.server");

    /** Accounts kept at most; past it, accounts with nothing open are forgotten, oldest id first. */
    static final int MAX_ACCOUNTS = 10_000;

    private final Map<String, IdentityAccount> accounts = new ConcurrentHashMap<>();
    private final KernelMetrics metrics;
    private final Clock clock;

    QuotaBook(KernelMetrics metrics, Clock clock) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The identity's account with {@code quota} in force. */
    IdentityAccount account(Identity identity, Quota quota) {
        String tag = quota.isNone() ? "other" : identity.id();
        IdentityAccount account = accounts.computeIfAbsent(identity.id(),
                id -> new IdentityAccount(identity, clock, metrics.identityMeters(tag)));
        account.apply(identity, quota, System.nanoTime());
        if (!account.meters().tag().equals(tag)) {
            account.meters(metrics.identityMeters(tag)); // a quota now names it, or no longer does
        }
        if (accounts.size() > MAX_ACCOUNTS) {
            forgetIdle();
        }
        return account;
    }

    private void forgetIdle() {
        accounts.values().stream().filter(a -> a.sessions() == 0 && a.channels() == 0)
                .sorted(Comparator.comparing(IdentityAccount::id)).limit(accounts.size() - MAX_ACCOUNTS / 2)
                .forEach(a -> accounts.remove(a.id(), a));
    }

    /**
     * Takes one of the identity's sessions.
     *
     * @return runs when the session ends
     * @throws AlknetException {@code QUOTA_EXCEEDED} when the identity has as many sessions as it may
     */
    Runnable openSession(Identity identity, Quota quota, String remoteHost) {
        IdentityAccount account = account(identity, quota);
        if (!account.tryOpenSession()) {
            throw refuse(account, identity, remoteHost, "sessions", "too many sessions for this identity: "
                    + quota.sessions() + " open, its quota allows sessions=" + quota.sessions()
                    + "; close one or ask the operator to raise the limit");
        }
        Metrics.Gauge open = account.meters().sessions();
        open.add(1);
        return once(() -> {
            account.sessionClosed();
            open.add(-1);
        });
    }

    /**
     * Takes one of the identity's channels and meters its target stream.
     *
     * @return the metered target; the channel is given back when the stream closes
     * @throws AlknetException {@code QUOTA_EXCEEDED} when the identity has as many channels as it may, or has used
     *     up its bytes for today
     */
    Channel openChannel(Identity identity, Quota quota, String remoteHost) {
        IdentityAccount account = account(identity, quota);
        if (!account.dayLeft()) {
            throw refuse(account, identity, remoteHost, "bytes-per-day", "the transfer quota for today is used up: "
                    + account.bytesToday() + " of bytes-per-day=" + quota.bytesPerDay() + " bytes; it resets at 00:00 UTC");
        }
        if (!account.tryOpenChannel()) {
            throw refuse(account, identity, remoteHost, "channels", "too many channels for this identity: "
                    + quota.channels() + " open, its quota allows channels=" + quota.channels()
                    + "; close one or ask the operator to raise the limit");
        }
        Metrics.Gauge open = account.meters().channels();
        open.add(1);
        return new Channel(account, identity, remoteHost, once(() -> {
            account.channelClosed();
            open.add(-1);
        }));
    }

    /** One channel taken from an account: meter its stream with {@link #meter}, or give it back with {@link #release}. */
    final class Channel {
        private final IdentityAccount account;
        private final Identity identity;
        private final String remoteHost;
        private final Runnable release;

        private Channel(IdentityAccount account, Identity identity, String remoteHost, Runnable release) {
            this.account = account;
            this.identity = identity;
            this.remoteHost = remoteHost;
            this.release = release;
        }

        /** The target stream, counted and capped; the channel is given back when it closes. */
        TransportStream meter(TransportStream target) {
            target.closeFuture().whenComplete((ignored, error) -> release.run());
            return new MeteredStream(target, account, () -> {
                account.refused();
                metrics.quotaRefused("bytes-per-day");
                LOG.info("quota.exceeded remote_addr={} identity={} limit=bytes-per-day", remoteHost,
                        LogFields.safe(identity.label()));
            });
        }

        /** The channel did not open after all. */
        void release() {
            release.run();
        }
    }

    private AlknetException refuse(IdentityAccount account, Identity identity, String remoteHost, String limit, String message) {
        account.refused();
        metrics.quotaRefused(limit);
        LOG.info("quota.exceeded remote_addr={} identity={} limit={}", remoteHost, LogFields.safe(identity.label()), limit);
        return new AlknetException(ErrorCode.QUOTA_EXCEEDED, message);
    }

    /** Every account for {@code /server/status}, busiest first. */
    List<Map<String, Object>> status() {
        return accounts.values().stream()
                .sorted(Comparator.comparingInt((IdentityAccount a) -> a.sessions() + a.channels()).reversed()
                        .thenComparing(IdentityAccount::id))
                .map(IdentityAccount::status).toList();
    }

    private static Runnable once(Runnable action) {
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        return () -> {
            if (done.compareAndSet(false, true)) {
                action.run();
            }
        };
    }
}
