package io.alknet.kernel.internal;

import io.alknet.api.plugin.ExtensionFactory;
import io.alknet.api.plugin.PluginContext;
import io.alknet.api.plugin.Settings;
import io.alknet.kernel.ExtensionKind;
import io.alknet.kernel.PluginCatalog;
import io.alknet.kernel.PluginCatalog.Contribution;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Creates components from the catalog's factories: looks the factory up by kind and name (a missing one names what is
 * available), slices its settings by prefix, and calls it with the plugin's class loader. The settings are checked
 * against what the plugins declare when this is built ({@link KnownSettings}), so a typo fails before anything starts.
 */
public final class Components {

    private final PluginCatalog catalog;
    private final KnownSettings known;
    private final Map<String, String> settings;
    private final PluginContext context;

    /** @throws io.alknet.api.AlknetException {@code INVALID_CONFIG} for an unknown setting or a value of the wrong type */
    public Components(PluginCatalog catalog, Map<String, String> settings, PluginContext context) {
        this(catalog, KnownSettings.of(catalog), settings, context);
    }

    private Components(PluginCatalog catalog, KnownSettings known, Map<String, String> settings, PluginContext context) {
        this.catalog = catalog;
        this.known = known;
        this.settings = Map.copyOf(settings);
        this.context = context;
        known.check(this.settings);
    }

    /**
     * The same components with the settings under {@code prefixes} replaced by those of {@code newSettings}
     * (the others are kept).
     */
    public Components withDynamicSettings(List<String> prefixes, Map<String, String> newSettings) {
        Map<String, String> merged = new LinkedHashMap<>();
        settings.forEach((key, value) -> {
            if (prefixes.stream().noneMatch(key::startsWith)) {
                merged.put(key, value);
            }
        });
        newSettings.forEach((key, value) -> {
            if (prefixes.stream().anyMatch(key::startsWith)) {
                merged.put(key, value);
            }
        });
        return new Components(catalog, known, merged, context);
    }

    public PluginCatalog catalog() {
        return catalog;
    }

    public PluginContext context() {
        return context;
    }

    /** The value of a full key, e.g. {@code server.forward-transport}. */
    public java.util.Optional<String> setting(String key) {
        return java.util.Optional.ofNullable(settings.get(key)).map(String::strip).filter(value -> !value.isEmpty());
    }

    /**
     * The settings under {@code prefix} (e.g. {@code transport.tcp.}), prefix removed; the declared secrets and those
     * {@link Settings#isSecretKey} recognises are masked when printed.
     */
    public Settings settings(String prefix) {
        Map<String, String> slice = new LinkedHashMap<>();
        settings.forEach((key, value) -> {
            if (key.startsWith(prefix)) {
                slice.put(key.substring(prefix.length()), value);
            }
        });
        Set<String> secrets = new HashSet<>(known.secrets(prefix));
        slice.keySet().stream().filter(Settings::isSecretKey).forEach(secrets::add);
        return new Settings(prefix, slice, secrets);
    }

    /** Finds {@code name} among the factories of {@code kind} and creates the component with its settings. */
    public <F extends ExtensionFactory, C> C create(ExtensionKind<F> kind, String name, BiFunction<F, Settings, C> create) {
        Contribution<F> contribution = catalog.require(kind, name);
        Settings slice = settings(kind.settingsPrefix(name));
        return PluginCalls.withLoader(contribution.plugin().classLoader(), () -> create.apply(contribution.factory(), slice));
    }
}
