package io.alknet.kernel.internal;

import io.alknet.api.identity.IdentityProvider;
import io.alknet.api.policy.ForwardingPolicy;
import io.alknet.kernel.ExtensionKind;
import io.alknet.kernel.ServerLimits;
import io.alknet.kernel.ServerOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Holds the current {@link DynamicConfig} and rebuilds it from its sources on reload: the identity
 * providers, the forwarding policy (with their {@code identity.*} / {@code policy.*} settings, whose files
 * are read again) and the limits. A reload that fails anywhere keeps the previous snapshot whole.
 */
public final class DynamicConfigHolder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("alknet.config");
    /** The settings a reload may change; all others are static (restart to change). */
    static final List<String> DYNAMIC_PREFIXES = List.of(ExtensionKind.IDENTITY_PROVIDER.prefix() + ".",
            ExtensionKind.FORWARDING_POLICY.prefix() + ".");

    private final Clock clock;
    private final AtomicReference<DynamicConfig> current = new AtomicReference<>();
    private Sources sources;

    /** What a snapshot is built from. */
    private record Sources(Components components, List<String> identityProviders, String policy, ServerLimits limits) {
    }

    public DynamicConfigHolder(Components components, List<String> identityProviderNames, String policyName,
                               ServerLimits limits, Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sources = new Sources(Objects.requireNonNull(components, "components"), List.copyOf(identityProviderNames),
                Objects.requireNonNull(policyName, "policyName"), Objects.requireNonNull(limits, "limits"));
        current.set(build(sources, 1));
    }

    public DynamicConfig current() {
        return current.get();
    }

    /**
     * Re-reads every source with the current options and swaps the snapshot atomically.
     *
     * @throws io.alknet.api.AlknetException when a source is invalid; the previous snapshot stays in force
     */
    public synchronized DynamicConfig reload() {
        return swap(sources);
    }

    /**
     * Takes the dynamic part of {@code options} (identity providers, forwarding policy, their settings,
     * limits) and swaps it in atomically. Static differences (listeners, interface and transport settings)
     * are logged as needing a restart and otherwise ignored.
     */
    public synchronized DynamicConfig reload(ServerOptions options, ServerOptions started) {
        warnStaticChanges(started, options);
        Components components = sources.components().withDynamicSettings(DYNAMIC_PREFIXES, options.settings());
        return swap(new Sources(components, options.identityProviders(), options.forwardingPolicy(), options.limits()));
    }

    private DynamicConfig swap(Sources next) {
        DynamicConfig previous = current.get();
        DynamicConfig built = build(next, previous.generation() + 1);
        current.set(built);
        sources = next;
        closeComponents(previous);
        LOG.info("config.reloaded generation={} identity_providers={} policy={} max_auth_attempts={} max_connections_per_ip={} "
                        + "max_startups={} penalties=\"{}\"", built.generation(), String.join(",", next.identityProviders()), next.policy(),
                next.limits().maxAuthAttempts(), next.limits().maxConnectionsPerIp(), next.limits().maxStartups(), next.limits().penalties());
        return built;
    }

    private void warnStaticChanges(ServerOptions started, ServerOptions options) {
        if (!started.listeners().equals(options.listeners())) {
            LOG.warn("config.reload.static_change field=listeners action=\"restart to apply\"");
        }
        for (String key : union(started.settings().keySet(), options.settings().keySet())) {
            boolean dynamic = DYNAMIC_PREFIXES.stream().anyMatch(key::startsWith);
            if (!dynamic && !Objects.equals(started.settings().get(key), options.settings().get(key))) {
                LOG.warn("config.reload.static_change field={} action=\"restart to apply\"", key);
            }
        }
    }

    private static List<String> union(java.util.Set<String> a, java.util.Set<String> b) {
        java.util.TreeSet<String> all = new java.util.TreeSet<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }

    private DynamicConfig build(Sources from, long generation) {
        List<IdentityProvider> providers = new ArrayList<>();
        Components components = from.components();
        try {
            for (String name : from.identityProviders()) {
                providers.add(components.create(ExtensionKind.IDENTITY_PROVIDER, name,
                        (factory, settings) -> factory.create(settings, components.context())));
            }
            ForwardingPolicy policy = components.create(ExtensionKind.FORWARDING_POLICY, from.policy(),
                    (factory, settings) -> factory.create(settings, components.context()));
            return new DynamicConfig(generation, clock.instant(), providers, policy, from.limits());
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
