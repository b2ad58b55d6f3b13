package io.alknet.kernel;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How a client retries after losing its session: exponential backoff from {@code initialDelay},
 * doubling up to {@code maxDelay}, each delay randomized by up to {@code jitter} (0.2 = ±20 %).
 * {@code enabled=false} makes a lost session end the client.
 */
public record ReconnectPolicy(boolean enabled, Duration initialDelay, Duration maxDelay, double jitter) {

    public static final ReconnectPolicy DEFAULT = new ReconnectPolicy(true, Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2);
    public static final ReconnectPolicy NEVER = new ReconnectPolicy(false, Duration.ofSeconds(1), Duration.ofSeconds(1), 0);

    public ReconnectPolicy {
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (initialDelay.isNegative() || maxDelay.compareTo(initialDelay) < 0 || jitter < 0 || jitter >= 1) {
            throw new IllegalArgumentException("invalid reconnect policy");
        }
    }

    /** The delay before attempt {@code attempt} (1-based): 1, 2, 4, 8, 16, 30, 30, … seconds by default. */
    public Duration delay(int attempt, RandomGenerator random) {
        long base = initialDelay.toMillis();
        for (int i = 1; i < attempt && base < maxDelay.toMillis(); i++) {
            base *= 2;
        }
        base = Math.min(base, maxDelay.toMillis());
        double factor = jitter == 0 ? 1 : 1 + (random.nextDouble() * 2 - 1) * jitter;
        return Duration.ofMillis(Math.max(0, Math.round(base * factor)));
    }
}
