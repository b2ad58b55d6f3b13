package io.alknet.kernel.internal;

import io.alknet.api.identity.IdentityProvider;
import io.alknet.api.policy.ForwardingPolicy;
import io.alknet.kernel.ServerLimits;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One immutable snapshot of what may change without a restart: the identity provider chain, the
 * forwarding policy and the abuse limits, as built from their sources at {@code loadedAt}. Swapped whole
 * on reload; every check reads the newest snapshot.
 *
 * @param generation increases by one per successful reload
 */
public record DynamicConfig(long generation, Instant loadedAt, List<IdentityProvider> identityProviders,
                            ForwardingPolicy forwardingPolicy, ServerLimits limits) {

    public DynamicConfig {
        Objects.requireNonNull(loadedAt, "loadedAt");
        identityProviders = List.copyOf(identityProviders);
        Objects.requireNonNull(forwardingPolicy, "forwardingPolicy");
        Objects.requireNonNull(limits, "limits");
    }
}
