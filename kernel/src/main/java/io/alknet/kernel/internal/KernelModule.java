package io.alknet.kernel.internal;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import io.alknet.api.plugin.PluginContext;
import io.alknet.kernel.PluginCatalog;
import jakarta.inject.Singleton;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * Binds what every runtime needs: the plugin catalog (every contribution by {@link io.alknet.kernel.ExtensionKind} and
 * name), the plugin context, the checked settings ({@link Components}), the audit log. Explicit bindings only, no
 * circular proxies.
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
    }

    @Provides
    @Singleton
    Components components(PluginCatalog catalog, PluginContext context) {
        return new Components(catalog, settings, context);
    }
}
