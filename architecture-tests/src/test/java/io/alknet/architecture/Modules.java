package io.alknet.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.alknet.api.plugin.AlknetPlugin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The package roots of ARCHITECTURE.md's modules. The plugins are read from the service files of the jars on
 * this module's class path (the CLI's, which holds every built-in), so a new plugin is covered by every rule
 * without being listed here.
 */
final class Modules {

    static final String API = "io.alknet.api";
    static final String KERNEL = "io.alknet.kernel";
    static final String CLI = "io.alknet.cli";
    /** The convenience layer that names the built-in plugins, for embedders and the CLI. */
    static final String DEFAULTS = "io.alknet.defaults";
    /** Libraries shared by plugins; not plugins themselves. */
    static final String NETTY_SUPPORT = "io.alknet.netty";
    static final String STREAM_SUPPORT = "io.alknet.stream.support";
    /** The flowgraph: pure in-memory graphs of operations and calls. */
    static final String FLOWGRAPH = "io.alknet.flowgraph";
    /** The call protocol's framing, shared by the interfaces that carry it. */
    static final String CALL_FRAMING = "io.alknet.call";

    private static final String SERVICE_FILE = "META-INF/services/" + AlknetPlugin.class.getName();

    /** One built-in plugin: its entry point and the module directory its service file came from. */
    record Plugin(String entryPoint, Path moduleDirectory) {

        /** The entry point's package: the plugin's package root. */
        String root() {
            return entryPoint.substring(0, entryPoint.lastIndexOf('.'));
        }
    }

    /** Every built-in plugin, by package root; one plugin jar each. */
    static final Map<String, Plugin> BUILT_IN = builtInPlugins();

    /** Every plugin's package root. */
    static final List<String> PLUGINS = List.copyOf(BUILT_IN.keySet());

    /** Every module root that may have an internal package. */
    static final List<String> ALL = all();

    private Modules() {
    }

    /** The production classes of every module on the class path, imported once for all the tests. */
    static JavaClasses production() {
        return Production.CLASSES;
    }

    private static final class Production {
        static final JavaClasses CLASSES = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.alknet");
    }

    private static List<String> all() {
        List<String> all = new ArrayList<>(List.of(API, KERNEL, CLI, DEFAULTS, NETTY_SUPPORT, STREAM_SUPPORT, CALL_FRAMING, FLOWGRAPH));
        all.addAll(PLUGINS);
        return Collections.unmodifiableList(all);
    }

    private static Map<String, Plugin> builtInPlugins() {
        Map<String, Plugin> plugins = new TreeMap<>();
        try {
            for (URL url : Collections.list(Modules.class.getClassLoader().getResources(SERVICE_FILE))) {
                String entryPoint;
                try (InputStream in = url.openStream()) {
                    entryPoint = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                            .filter(line -> !line.isEmpty() && !line.startsWith("#")).findFirst().orElseThrow();
                }
                Plugin plugin = new Plugin(entryPoint, moduleDirectory(url));
                plugins.put(plugin.root(), plugin);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (plugins.isEmpty()) {
            throw new IllegalStateException("no " + SERVICE_FILE + " on the class path: the built-in plugins are missing");
        }
        return Collections.unmodifiableMap(plugins);
    }

    /** The Maven module a service file belongs to: the nearest directory above it (or its jar) with a pom.xml. */
    private static Path moduleDirectory(URL serviceFile) {
        String location = serviceFile.toString();
        if (location.startsWith("jar:")) {
            location = location.substring("jar:".length(), location.indexOf("!/"));
        }
        Path path;
        try {
            path = Path.of(new URL(location).toURI());
        } catch (URISyntaxException | IOException e) {
            throw new IllegalStateException("cannot locate " + serviceFile, e);
        }
        for (Path dir = path.getParent(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no pom.xml above " + path);
    }

    /** The module's own artifactId (the first one after its parent's). */
    static String artifactId(Path moduleDirectory) {
        try {
            String pom = Files.readString(moduleDirectory.resolve("pom.xml"));
            Matcher matcher = Pattern.compile("</parent>.*?<artifactId>([^<]+)</artifactId>", Pattern.DOTALL).matcher(pom);
            if (!matcher.find()) {
                throw new IllegalStateException("no artifactId in " + moduleDirectory.resolve("pom.xml"));
            }
            return matcher.group(1).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
