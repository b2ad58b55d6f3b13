package io.alknet.kernel;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.api.plugin.AlknetPlugin;
import io.alknet.api.plugin.ExtensionFactory;
import io.alknet.api.plugin.SettingSpec;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The plugins alknet found, and what each contributes, by {@link ExtensionKind} and name. Built by
 * {@link Alknet#discover(java.util.Optional)}; immutable.
 *
 * @param plugins       every loaded plugin, built-ins first, in a stable order
 * @param rejected      plugin jars that were not loaded, with the reason
 * @param contributions the factories of each kind ({@link ExtensionKind#ALL}), by name, in plugin order
 */
public record PluginCatalog(List<PluginInfo> plugins, List<Rejected> rejected,
                            Map<ExtensionKind<?>, Map<String, Contribution<?>>> contributions) {

    public PluginCatalog {
        plugins = List.copyOf(plugins);
        rejected = List.copyOf(rejected);
        Map<ExtensionKind<?>, Map<String, Contribution<?>>> copy = new LinkedHashMap<>();
        for (ExtensionKind<?> kind : ExtensionKind.ALL) {
            copy.put(kind, Collections.unmodifiableMap(new LinkedHashMap<>(contributions.getOrDefault(kind, Map.of()))));
        }
        contributions = Collections.unmodifiableMap(copy);
    }

    /** The factories of {@code kind}, by name, in plugin order. */
    @SuppressWarnings("unchecked")
    public <F extends ExtensionFactory> Map<String, Contribution<F>> of(ExtensionKind<F> kind) {
        Map<String, ?> contributed = contributions.getOrDefault(kind, Map.of());
        return (Map<String, Contribution<F>>) contributed;
    }

    /**
     * The factory of {@code kind} called {@code name}.
     *
     * @throws AlknetException {@code UNKNOWN_COMPONENT} naming what is available
     */
    public <F extends ExtensionFactory> Contribution<F> require(ExtensionKind<F> kind, String name) {
        Map<String, Contribution<F>> available = of(kind);
        Contribution<F> contribution = available.get(name);
        if (contribution == null) {
            throw new AlknetException(ErrorCode.UNKNOWN_COMPONENT, "unknown " + kind.label() + " '" + name + "'; available: "
                    + (available.isEmpty() ? "none" : String.join(", ", new TreeSet<>(available.keySet())))
                    + " (a plugin jar in --plugin-dir can add more)");
        }
        return contribution;
    }

    /**
     * One loaded plugin.
     *
     * @param name          the plugin's name
     * @param location      the jar (or directory) it came from
     * @param builtIn       true when found on the class path, false when loaded from the plugin directory
     * @param contributions what it contributes, as {@code kind:name}
     * @param plugin        the entry point
     * @param classLoader   the loader its classes live in
     */
    public record PluginInfo(String name, Path location, boolean builtIn, List<String> contributions,
                             AlknetPlugin plugin, ClassLoader classLoader) {
        public PluginInfo {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(location, "location");
            contributions = List.copyOf(contributions);
            Objects.requireNonNull(plugin, "plugin");
            Objects.requireNonNull(classLoader, "classLoader");
        }

        /** The jar's file name, for listings. */
        public String jarName() {
            Path file = location.getFileName();
            return file == null ? location.toString() : file.toString();
        }
    }

    /** A plugin jar that was not loaded. */
    public record Rejected(Path location, String reason) {
    }

    /**
     * A factory, the plugin that contributed it, and the settings it declares.
     *
     * @param factory  the factory
     * @param plugin   the plugin that contributed it
     * @param settings what {@link ExtensionFactory#settings()} declared; empty when the factory declares nothing
     */
    public record Contribution<F>(F factory, PluginInfo plugin, Optional<List<SettingSpec>> settings) {
        public Contribution {
            Objects.requireNonNull(factory, "factory");
            Objects.requireNonNull(plugin, "plugin");
            settings = settings.map(List::copyOf);
        }
    }
}
