package io.alknet.api.policy;

import io.alknet.api.Identity;

/**
 * Decides forward requests.
 *
 * <p>Threading: called concurrently from many sessions, possibly on I/O threads; implementations must be
 * thread-safe, fast and non-blocking (no DNS: the kernel resolves and passes the concrete address, or passes
 * none when an outbound proxy resolves the name; read a host with {@link io.alknet.api.net.TargetHost}).
 * Instances are immutable; a configuration reload creates a new one.
 */
public interface ForwardingPolicy extends AutoCloseable {

    /** Decides one request. Must not throw for any well-formed request. */
    PolicyDecision decide(ForwardRequest request);

    /**
     * The limits this policy sets for {@code identity} (sessions, channels, bytes per day, bandwidth). The kernel
     * asks at every login and channel open, against the newest policy, and applies the stricter of this and the
     * identity's own {@link Identity#quota()}. The default limits nothing.
     */
    default Quota quota(Identity identity) {
        return Quota.NONE;
    }

    /** Releases what the policy holds. The default does nothing. */
    @Override
    default void close() {
    }
}
