package io.alknet.kernel.internal;

import io.alknet.api.identity.IdentityProvider;
import io.alknet.api.policy.ForwardingPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Holds the current {@link DynamicConfig} and rebuilds it from the providers' sources on reload. A
 * reload that fails anywhere keeps the previous snapshot whole.
 */
public final class DynamicConfigHolder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("alknet.config");

    private final Components components;
    private final List<String> identityProviderNames;
    private final String policyName;
    private final Clock clock;
    private final AtomicReference<DynamicConfig> current = new AtomicReference<>();

    public DynamicConfigHolder(Components components, List<String> identityProviderNames, String policyName, Clock clock) {
        this.components = Objects.requireNonNull(components, "components");
        this.identityProviderNames = List.copyOf(identityProviderNames);
        this.policyName = Objects.requireNonNull(policyName, "policyName");
        this.clock = Objects.requireNonNull(clock, "clock");
        current.set(build(1));
    }

    public DynamicConfig current() {
        return current.get();
    }

    /**
     * Re-reads every source and swaps the snapshot atomically.
     *
     * @throws io.alknet.api.AlknetException when a source is invalid; the previous snapshot stays in force
     */
    public DynamicConfig reload() {
        DynamicConfig previous = current.get();
        DynamicConfig next = build(previous.generation() + 1);
        current.set(next);
        closeComponents(previous);
        LOG.info("config.reloaded generation={}", next.generation());
        return next;
    }

    private DynamicConfig build(long generation) {
        List<IdentityProvider> providers = new ArrayList<>();
        try {
            for (String name : identityProviderNames) {
                providers.add(components.create("identity provider", "identity", components.registry().identityProviders(),
                        name, (factory, settings) -> factory.create(settings, components.context())));
            }
            ForwardingPolicy policy = components.create("forwarding policy", "policy", components.registry().forwardingPolicies(),
                    policyName, (factory, settings) -> factory.create(settings, components.context()));
            return new DynamicConfig(generation, clock.instant(), providers, policy);
        } catch (RuntimeException e) {
            providers.forEach(DynamicConfigHolder::closeQuietly);
            throw e;
        }
    }

    private static void closeComponents(DynamicConfig config) {
        config.identityProviders().forEach(DynamicConfigHolder::closeQuietly);
        closeQuietly(config.forwardingPolicy());
    }

    private static void closeQuietly(AutoCloseable component) {
        try {
            component.close();
        } catch (Exception e) {
            LOG.warn("config.component.close.failed component={} error={}", component.getClass().getSimpleName(), e.toString());
        }
    }

    @Override
    public void close() {
        DynamicConfig last = current.getAndSet(null);
        if (last != null) {
            closeComponents(last);
        }
    }
}
