package io.alknet.api.call;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How to make one call.
 *
 * @param timeout  how long to wait before failing with {@code TIMEOUT} (sent to the peer as a deadline)
 * @param metadata free-form metadata for the handler (trace ids, flags)
 */
public record CallOptions(Duration timeout, Map<String, Object> metadata) {

    /** 30 seconds, no metadata. */
    public static final CallOptions DEFAULT = new CallOptions(Duration.ofSeconds(30), Map.of());

    public CallOptions {
        Objects.requireNonNull(timeout, "timeout");
        metadata = Map.copyOf(metadata);
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
    }

    public static CallOptions timeout(Duration timeout) {
        return new CallOptions(timeout, Map.of());
    }
}
