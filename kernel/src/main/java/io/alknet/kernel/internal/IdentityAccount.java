package io.alknet.kernel.internal;

import io.alknet.api.Identity;
import io.alknet.api.policy.Quota;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one identity uses: its open sessions and channels, its bytes (in total and today, UTC), and the token buckets
 * that cap its bandwidth, shared by all of its channels. Lives as long as the server, across reloads; the quota it
 * enforces is the newest one applied. Never holds a destination. Thread-safe.
 */
final class IdentityAccount {

    private final String id;
    private final Clock clock;
    private final AtomicInteger sessions = new AtomicInteger();
    private final AtomicInteger channels = new AtomicInteger();
    private final LongAdder bytesUp = new LongAdder();
    private final LongAdder bytesDown = new LongAdder();
    private final LongAdder refusals = new LongAdder();
    private volatile String name;
    private volatile Quota quota = Quota.NONE;
    private volatile TokenBucket up;
    private volatile TokenBucket down;
    private volatile KernelMetrics.IdentityMeters meters;
    /** Today's bytes and which day that is; guarded by this. */
    private LocalDate day;
    private long bytesToday;

    IdentityAccount(Identity identity, Clock clock, KernelMetrics.IdentityMeters meters) {
        this.meters = java.util.Objects.requireNonNull(meters, "meters");
        this.id = identity.id();
        this.name = identity.name();
        this.clock = clock;
        this.day = LocalDate.now(clock.withZone(ZoneOffset.UTC));
    }

    String id() {
        return id;
    }

    KernelMetrics.IdentityMeters meters() {
        return meters;
    }

    void meters(KernelMetrics.IdentityMeters next) {
        meters = next;
    }

    Quota quota() {
        return quota;
    }

    /** Makes {@code next} the quota in force; a changed rate applies to open channels at once. */
    void apply(Identity identity, Quota next, long nowNanos) {
        name = identity.name();
        if (next.equals(quota)) {
            return;
        }
        synchronized (this) {
            up = bucket(up, next.upBytesPerSecond(), nowNanos);
            down = bucket(down, next.downBytesPerSecond(), nowNanos);
            quota = next;
        }
    }

    private static TokenBucket bucket(TokenBucket current, long rate, long nowNanos) {
        if (rate == 0) {
            return null;
        }
        if (current == null) {
            return new TokenBucket(rate, nowNanos);
        }
        current.rate(rate, nowNanos);
        return current;
    }

    TokenBucket up() {
        return up;
    }

    TokenBucket down() {
        return down;
    }

    /** Takes a session if the quota leaves room; false when the identity has as many as it may. */
    boolean tryOpenSession() {
        return tryTake(sessions, quota.sessions());
    }

    /** Takes a channel if the quota leaves room; false when the identity has as many as it may. */
    boolean tryOpenChannel() {
        return tryTake(channels, quota.channels());
    }

    private static boolean tryTake(AtomicInteger open, int limit) {
        while (true) {
            int now = open.get();
            if (limit > 0 && now >= limit) {
                return false;
            }
            if (open.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    void sessionClosed() {
        sessions.decrementAndGet();
    }

    void channelClosed() {
        channels.decrementAndGet();
    }

    int sessions() {
        return sessions.get();
    }

    int channels() {
        return channels.get();
    }

    void refused() {
        refusals.increment();
    }

    /** Counts bytes the identity sent; true while today's bytes are within the quota. */
    boolean countUp(long bytes) {
        bytesUp.add(bytes);
        meters.up().increment(bytes);
        return countToday(bytes);
    }

    /** Counts bytes the identity received; true while today's bytes are within the quota. */
    boolean countDown(long bytes) {
        bytesDown.add(bytes);
        meters.down().increment(bytes);
        return countToday(bytes);
    }

    private synchronized boolean countToday(long bytes) {
        rollDay();
        bytesToday += bytes;
        long limit = quota.bytesPerDay();
        return limit == 0 || bytesToday <= limit;
    }

    /** Today's bytes (UTC). */
    synchronized long bytesToday() {
        rollDay();
        return bytesToday;
    }

    private void rollDay() {
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        if (!today.equals(day)) {
            day = today;
            bytesToday = 0;
        }
    }

    /** True when the identity may still move bytes today. */
    boolean dayLeft() {
        long limit = quota.bytesPerDay();
        return limit == 0 || bytesToday() < limit;
    }

    /** The account as {@code /server/status} shows it: counts and limits, never a destination. */
    Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("id", id);
        status.put("name", name);
        status.put("sessions", sessions.get());
        status.put("channels", channels.get());
        status.put("bytesUp", bytesUp.sum());
        status.put("bytesDown", bytesDown.sum());
        status.put("bytesToday", bytesToday());
        status.put("refused", refusals.sum());
        status.put("quota", quota.toString());
        return status;
    }
}
