package io.alknet.kernel.internal;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.MapBinder;
import io.alknet.api.frontend.FrontEndFactory;
import io.alknet.api.interfaces.MessageInterfaceFactory;
import io.alknet.api.interfaces.StreamInterfaceFactory;
import io.alknet.api.identity.IdentityProviderFactory;
import io.alknet.api.plugin.PluginContext;
import io.alknet.api.policy.ForwardingPolicyFactory;
import io.alknet.api.transport.TransportFactory;
import io.alknet.kernel.PluginCatalog;
import io.alknet.kernel.PluginCatalog.Contribution;
import jakarta.inject.Singleton;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * Binds what every runtime needs: the plugin contributions as map bindings keyed by name, the plugin
 * context, the settings, the audit log. Explicit bindings only, no circular proxies.
 */
public final class KernelModule extends AbstractModule {

    private final PluginCatalog catalog;
    private final Map<String, String> settings;
    private final Path stateDirectory;
    private final Clock clock;

    public KernelModule(PluginCatalog catalog, Map<String, String> settings, Path stateDirectory, Clock clock) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.settings = Map.copyOf(settings);
        this.stateDirectory = Objects.requireNonNull(stateDirectory, "stateDirectory");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    protected void configure() {
        binder().requireExplicitBindings();
        binder().disableCircularProxies();
        binder().requireAtInjectOnConstructors();

        bind(PluginCatalog.class).toInstance(catalog);
        bind(Clock.class).toInstance(clock);
        bind(PluginContext.class).toInstance(new KernelPluginContext(stateDirectory, clock));
        bind(AuditLog.class).in(Singleton.class);
        bind(Registry.class).in(Singleton.class);

        contributions(new TypeLiteral<Contribution<TransportFactory>>() { }, catalog.transports());
        contributions(new TypeLiteral<Contribution<StreamInterfaceFactory>>() { }, catalog.streamInterfaces());
        contributions(new TypeLiteral<Contribution<MessageInterfaceFactory>>() { }, catalog.messageInterfaces());
        contributions(new TypeLiteral<Contribution<IdentityProviderFactory>>() { }, catalog.identityProviders());
        contributions(new TypeLiteral<Contribution<ForwardingPolicyFactory>>() { }, catalog.forwardingPolicies());
        contributions(new TypeLiteral<Contribution<FrontEndFactory>>() { }, catalog.frontEnds());
    }

    private <F> void contributions(TypeLiteral<Contribution<F>> type, Map<String, Contribution<F>> contributed) {
        MapBinder<String, Contribution<F>> binder = MapBinder.newMapBinder(binder(), TypeLiteral.get(String.class), type);
        contributed.forEach((name, contribution) -> binder.addBinding(name).toInstance(contribution));
    }

    @Provides
    @Singleton
    Components components(Registry registry, PluginContext context) {
        return new Components(registry, settings, context);
    }
}
