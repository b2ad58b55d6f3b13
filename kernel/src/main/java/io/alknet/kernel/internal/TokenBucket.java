package io.alknet.kernel.internal;

/**
 * A token bucket that lends: {@link #take} always hands out the bytes asked for and answers how long the taker must
 * then wait for the bucket to be out of debt. Everyone who shares the bucket waits in the order they took, so
 * channels that each keep a bounded amount in flight share the rate evenly (a fair queue by arrival), and the
 * long-run rate never exceeds {@code bytesPerSecond}. The burst is a tenth of a second of the rate, at least 64 KiB.
 *
 * <p>Thread-safe; {@link #take} never blocks. Pure logic: the caller passes the clock.
 */
final class TokenBucket {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long MIN_BURST = 64 * 1024;

    private long bytesPerSecond;
    private long burst;
    /** Bytes that may go now; negative when the bucket is in debt. */
    private double tokens;
    private long updatedAt;

    TokenBucket(long bytesPerSecond, long nowNanos) {
        this.bytesPerSecond = positive(bytesPerSecond);
        this.burst = burstOf(bytesPerSecond);
        this.tokens = burst;
        this.updatedAt = nowNanos;
    }

    /** Changes the rate (a reloaded quota); what was lent stays lent. */
    synchronized void rate(long newBytesPerSecond, long nowNanos) {
        positive(newBytesPerSecond);
        refill(nowNanos);
        this.bytesPerSecond = newBytesPerSecond;
        this.burst = burstOf(newBytesPerSecond);
        this.tokens = Math.min(tokens, burst);
    }

    private static long positive(long bytesPerSecond) {
        if (bytesPerSecond <= 0) {
            throw new IllegalArgumentException("rate must be above 0: " + bytesPerSecond);
        }
        return bytesPerSecond;
    }

    private static long burstOf(long bytesPerSecond) {
        return Math.max(MIN_BURST, bytesPerSecond / 10);
    }

    synchronized long rate() {
        return bytesPerSecond;
    }

    /**
     * Takes {@code bytes}.
     *
     * @return how many nanoseconds from {@code nowNanos} until the bucket has paid for them: 0 when they were there
     */
    synchronized long take(long bytes, long nowNanos) {
        refill(nowNanos);
        tokens -= bytes;
        return tokens >= 0 ? 0 : (long) Math.ceil(-tokens * NANOS_PER_SECOND / bytesPerSecond);
    }

    private void refill(long nowNanos) {
        long elapsed = Math.max(0, nowNanos - updatedAt);
        tokens = Math.min(burst, tokens + (double) elapsed * bytesPerSecond / NANOS_PER_SECOND);
        updatedAt = Math.max(updatedAt, nowNanos);
    }
}
