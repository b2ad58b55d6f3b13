package io.alknet.kernel.internal;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.api.plugin.AlknetPlugin;
import io.alknet.api.plugin.ExtensionFactory;
import io.alknet.api.plugin.SettingSpec;
import io.alknet.kernel.ExtensionKind;
import io.alknet.kernel.PluginCatalog;
import io.alknet.kernel.PluginCatalog.Contribution;
import io.alknet.kernel.PluginCatalog.PluginInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.stream.Stream;

/**
 * Finds plugins: those on the class path (the built-ins) and those in the plugin directory, where each
 * {@code *.jar}, and each sub-directory of jars, is one plugin with a class loader of its own.
 *
 * <p>Rules, all loud: exactly one {@link AlknetPlugin} per jar; plugin names and contributed names are
 * unique (a clash names both jars and stops startup); a plugin-directory jar that cannot be loaded
 * (no entry point, a missing class, a failing entry point) is rejected with its jar name and reason and
 * the rest carry on.
 */
public final class PluginDiscovery {

    private static final Logger LOG = LoggerFactory.getLogger("alknet.plugins");

    private final List<PluginInfo> plugins = new ArrayList<>();
    private final List<PluginCatalog.Rejected> rejected = new ArrayList<>();

    private PluginDiscovery() {
    }

    public static PluginCatalog discover(Optional<Path> pluginDirectory) {
        return discover(PluginDiscovery.class.getClassLoader(), pluginDirectory);
    }

    /**
     * Discovers the plugins visible to {@code application} (the class path: built-ins, or an embedding
     * application's own; two of them claiming one name is a broken distribution and fails, naming both)
     * and those in {@code pluginDirectory} (dropped in by operators: a clashing jar is rejected and the rest
     * start).
     */
    public static PluginCatalog discover(ClassLoader application, Optional<Path> pluginDirectory) {
        PluginDiscovery discovery = new PluginDiscovery();
        discovery.loadClassPath(application);
        pluginDirectory.ifPresent(directory -> discovery.loadDirectory(directory, new ApiClassLoader(application)));
        return discovery.catalog();
    }

    private void loadClassPath(ClassLoader application) {
        Map<Path, List<AlknetPlugin>> byJar = new LinkedHashMap<>();
        ServiceLoader.load(AlknetPlugin.class, application).stream().forEach(provider -> {
            AlknetPlugin plugin = provider.get();
            byJar.computeIfAbsent(locationOf(plugin.getClass()), k -> new ArrayList<>()).add(plugin);
        });
        byJar.forEach((jar, found) -> {
            if (found.size() > 1) {
                throw new AlknetException(ErrorCode.PLUGIN_CONFLICT, jar.getFileName() + " declares "
                        + found.size() + " plugin entry points; a plugin jar must have exactly one");
            }
            plugins.add(describe(found.getFirst(), jar, true, application));
        });
        plugins.sort((a, b) -> a.name().compareTo(b.name()));
    }

    private void loadDirectory(Path directory, ApiClassLoader parent) {
        if (!Files.isDirectory(directory)) {
            throw new AlknetException(ErrorCode.INVALID_ARGUMENT, "plugin directory " + directory + " does not exist");
        }
        List<Path> entries;
        try (Stream<Path> list = Files.list(directory)) {
            entries = list.filter(p -> Files.isDirectory(p) || p.toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            throw new AlknetException(ErrorCode.INVALID_ARGUMENT, "cannot list plugin directory " + directory + ": " + e.getMessage());
        }
        for (Path entry : entries) {
            loadPluginJar(entry, parent).ifPresent(plugins::add);
        }
    }

    private Optional<PluginInfo> loadPluginJar(Path location, ApiClassLoader parent) {
        URL[] urls;
        try {
            urls = jarsOf(location);
        } catch (IOException e) {
            return reject(location, "cannot read: " + e.getMessage());
        }
        if (urls.length == 0) {
            return reject(location, "no jar files inside");
        }
        PluginClassLoader loader = new PluginClassLoader(location, urls, parent);
        List<AlknetPlugin> found = new ArrayList<>();
        try {
            PluginCalls.withLoader(loader, () -> {
                ServiceLoader.load(AlknetPlugin.class, loader).forEach(found::add);
                return null;
            });
        } catch (java.util.ServiceConfigurationError | LinkageError e) {
            closeQuietly(loader);
            return reject(location, "its entry point cannot be loaded: " + rootMessage(e)
                    + " (plugins may use only the JDK, io.alknet.api, org.slf4j and their own jars)");
        }
        if (found.size() != 1) {
            closeQuietly(loader);
            return reject(location, found.isEmpty()
                    ? "no io.alknet.api.plugin.AlknetPlugin in META-INF/services"
                    : "declares " + found.size() + " plugin entry points; a plugin jar must have exactly one");
        }
        try {
            return Optional.of(describe(found.getFirst(), location, false, loader));
        } catch (RuntimeException | LinkageError e) {
            closeQuietly(loader);
            return reject(location, "its entry point failed: " + rootMessage(e));
        }
    }

    private static URL[] jarsOf(Path location) throws IOException {
        if (!Files.isDirectory(location)) {
            return new URL[] {toUrl(location)};
        }
        try (Stream<Path> list = Files.list(location)) {
            List<Path> jars = list.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
            URL[] urls = new URL[jars.size()];
            for (int i = 0; i < urls.length; i++) {
                urls[i] = toUrl(jars.get(i));
            }
            return urls;
        }
    }

    private static URL toUrl(Path path) throws MalformedURLException {
        return path.toUri().toURL();
    }

    private Optional<PluginInfo> reject(Path location, String reason) {
        LOG.warn("plugin.rejected jar={} reason={}", location.getFileName(), reason);
        rejected.add(new PluginCatalog.Rejected(location, reason));
        return Optional.empty();
    }

    private static PluginInfo describe(AlknetPlugin plugin, Path location, boolean builtIn, ClassLoader loader) {
        return PluginCalls.withLoader(loader, () -> {
            String name = plugin.name();
            if (name == null || !name.matches("[a-z][a-z0-9-]*")) {
                throw new AlknetException(ErrorCode.PLUGIN_CONFLICT, location.getFileName()
                        + ": plugin name '" + name + "' must be lower case letters, digits and dashes");
            }
            List<String> contributions = new ArrayList<>();
            for (ExtensionKind<?> kind : ExtensionKind.ALL) {
                describe(kind, plugin, contributions);
            }
            return new PluginInfo(name, location, builtIn, contributions, plugin, loader);
        });
    }

    /** Adds {@code kind:name} for each factory of {@code kind}, and checks its declared settings. */
    private static <F extends ExtensionFactory> void describe(ExtensionKind<F> kind, AlknetPlugin plugin, List<String> contributions) {
        for (F factory : kind.contributed().apply(plugin)) {
            String name = factory.name();
            declaredSettings(kind, factory);
            contributions.add(kind.id() + ":" + name + kind.unavailable().apply(factory).map(reason -> " (unavailable: " + reason + ")").orElse(""));
        }
    }

    /** What {@code factory} declares, checked: no name twice, no flag twice. */
    private static <F extends ExtensionFactory> Optional<List<SettingSpec>> declaredSettings(ExtensionKind<F> kind, F factory) {
        Optional<List<SettingSpec>> declared = factory.settings();
        if (declared == null) {
            throw new AlknetException(ErrorCode.PLUGIN_CONFLICT, kind.label() + " '" + factory.name() + "' returned null from settings()");
        }
        declared.ifPresent(settings -> {
            java.util.Set<String> names = new java.util.HashSet<>();
            for (SettingSpec setting : settings) {
                if (!names.add(setting.name())) {
                    throw new AlknetException(ErrorCode.PLUGIN_CONFLICT, kind.label() + " '" + factory.name() + "' declares setting '"
                            + setting.name() + "' twice");
                }
            }
        });
        return declared;
    }

    /**
     * Keeps the first plugin of each name and of each contribution. A clash among the built-ins is a broken
     * distribution and fatal; a jar from the plugin directory that clashes is rejected (named, with the
     * reason) and the server starts without it.
     */
    private PluginCatalog catalog() {
        Map<String, PluginInfo> names = new LinkedHashMap<>();
        Map<String, PluginInfo> contributions = new LinkedHashMap<>();
        List<PluginInfo> accepted = new ArrayList<>();
        for (PluginInfo plugin : plugins) {
            PluginInfo previous = names.get(plugin.name());
            String clash = previous == null ? null : "plugin name '" + plugin.name() + "'";
            if (clash == null) {
                for (String contribution : plugin.contributions()) {
                    previous = contributions.get(contribution);
                    if (previous != null) {
                        clash = contribution.replace('-', ' ').replace(":", " '") + "'";
                        break;
                    }
                }
            }
            if (clash != null) {
                if (plugin.builtIn()) {
                    throw conflict(clash, previous, plugin);
                }
                reject(plugin.location(), clash + " is already taken by '" + previous.name() + "' in " + previous.jarName()
                        + "; rename the plugin or remove one of the jars");
                if (plugin.classLoader() instanceof PluginClassLoader loader) {
                    closeQuietly(loader);
                }
                continue;
            }
            accepted.add(plugin);
            names.put(plugin.name(), plugin);
            plugin.contributions().forEach(contribution -> contributions.put(contribution, plugin));
        }
        plugins.clear();
        plugins.addAll(accepted);
        Map<ExtensionKind<?>, Map<String, Contribution<?>>> contributed = new LinkedHashMap<>();
        for (ExtensionKind<?> kind : ExtensionKind.ALL) {
            contributed.put(kind, index(kind));
        }
        return new PluginCatalog(plugins, rejected, contributed);
    }

    private <F extends ExtensionFactory> Map<String, Contribution<?>> index(ExtensionKind<F> kind) {
        Map<String, Contribution<?>> result = new LinkedHashMap<>();
        for (PluginInfo plugin : plugins) {
            for (F factory : PluginCalls.withLoader(plugin.classLoader(), () -> kind.contributed().apply(plugin.plugin()))) {
                String name = PluginCalls.withLoader(plugin.classLoader(), factory::name);
                Optional<List<SettingSpec>> settings = PluginCalls.withLoader(plugin.classLoader(), () -> declaredSettings(kind, factory));
                Contribution<?> previous = result.putIfAbsent(name, new Contribution<>(factory, plugin, settings));
                if (previous != null) {
                    throw conflict(kind.label() + " '" + name + "'", previous.plugin(), plugin);
                }
            }
        }
        return result;
    }

    private static AlknetException conflict(String what, PluginInfo first, PluginInfo second) {
        return new AlknetException(ErrorCode.PLUGIN_CONFLICT, what + " is claimed by two plugins: '" + first.name()
                + "' in " + first.jarName() + " and '" + second.name() + "' in " + second.jarName()
                + "; remove one of the jars");
    }

    static Path locationOf(Class<?> type) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return Path.of(type.getName());
        }
        try {
            return Path.of(source.getLocation().toURI());
        } catch (URISyntaxException | IllegalArgumentException e) {
            return Path.of(source.getLocation().getPath());
        }
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    private static void closeQuietly(PluginClassLoader loader) {
        try {
            loader.close();
        } catch (IOException ignored) {
            // nothing else to release
        }
    }
}
