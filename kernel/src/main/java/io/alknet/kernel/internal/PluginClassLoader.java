package io.alknet.kernel.internal;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;

/** The class loader of one plugin from the plugin directory: its jar(s) on top of {@link ApiClassLoader}. */
final class PluginClassLoader extends URLClassLoader {

    static {
        registerAsParallelCapable();
    }

    private final Path location;

    PluginClassLoader(Path location, URL[] jars, ApiClassLoader parent) {
        super("alknet-plugin:" + location.getFileName(), jars, parent);
        this.location = location;
    }

    Path location() {
        return location;
    }
}
