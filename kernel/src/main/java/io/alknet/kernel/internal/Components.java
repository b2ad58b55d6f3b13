package io.alknet.kernel.internal;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.api.plugin.PluginContext;
import io.alknet.api.plugin.Settings;
import io.alknet.kernel.PluginCatalog.Contribution;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;

/**
 * Creates components from the catalog's factories: looks the factory up by name (a missing one names
 * what is available), slices its settings by prefix, and calls it with the plugin's class loader.
 */
public final class Components {

    private static final Set<String> KNOWN_PREFIXES = Set.of("transport.", "interface.", "identity.", "policy.", "frontend.", "calls.");

    private final Registry registry;
    private final Map<String, String> settings;
    private final PluginContext context;

    public Components(Registry registry, Map<String, String> settings, PluginContext context) {
        this.registry = registry;
        this.settings = Map.copyOf(settings);
        this.context = context;
        for (String key : settings.keySet()) {
            if (KNOWN_PREFIXES.stream().noneMatch(key::startsWith)) {
                throw new AlknetException(ErrorCode.INVALID_CONFIG, "unknown setting '" + key
                        + "'; settings start with one of " + new TreeSet<>(KNOWN_PREFIXES));
            }
        }
    }

    /**
     * The same components with the settings under {@code prefixes} replaced by those of {@code newSettings}
     * (the others are kept).
     */
    public Components withDynamicSettings(java.util.List<String> prefixes, Map<String, String> newSettings) {
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
        return new Components(registry, merged, context);
    }

    public Registry registry() {
        return registry;
    }

    public PluginContext context() {
        return context;
    }

    /** The settings under {@code prefix} (e.g. {@code transport.tcp.}), prefix removed. */
    public Settings settings(String prefix) {
        Map<String, String> slice = new LinkedHashMap<>();
        settings.forEach((key, value) -> {
            if (key.startsWith(prefix)) {
                slice.put(key.substring(prefix.length()), value);
            }
        });
        return Settings.of(prefix, slice);
    }

    /**
     * Finds {@code name} among {@code available} and creates the component.
     *
     * @param kind   for messages: "transport", "stream interface", …
     * @param prefix settings prefix kind, e.g. {@code transport}
     */
    public <F, C> C create(String kind, String prefix, Map<String, Contribution<F>> available, String name,
                           BiFunction<F, Settings, C> create) {
        Contribution<F> contribution = lookup(kind, available, name);
        Settings slice = settings(prefix + "." + name + ".");
        return PluginCalls.withLoader(contribution.plugin().classLoader(),
                () -> create.apply(contribution.factory(), slice));
    }

    public static <F> Contribution<F> lookup(String kind, Map<String, Contribution<F>> available, String name) {
        Contribution<F> contribution = available.get(name);
        if (contribution == null) {
            throw new AlknetException(ErrorCode.UNKNOWN_COMPONENT, "unknown " + kind + " '" + name + "'; available: "
                    + (available.isEmpty() ? "none" : String.join(", ", new TreeSet<>(available.keySet())))
                    + " (a plugin jar in --plugin-dir can add more)");
        }
        return contribution;
    }
}
