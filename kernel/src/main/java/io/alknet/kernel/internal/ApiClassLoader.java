package io.alknet.kernel.internal;

/**
 * The parent of every plugin class loader: the platform classes plus alknet's {@code api} and SLF4J,
 * nothing else. A plugin jar therefore cannot see (or depend on) the kernel, other plugins or their
 * libraries, and {@link java.util.ServiceLoader} over a plugin loader finds only that plugin's own
 * entry point.
 */
final class ApiClassLoader extends ClassLoader {

    private static final String[] SHARED = {"io.alknet.api.", "org.slf4j."};

    private final ClassLoader application;

    ApiClassLoader(ClassLoader application) {
        super("alknet-api", ClassLoader.getPlatformClassLoader());
        this.application = application;
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        for (String prefix : SHARED) {
            if (name.startsWith(prefix)) {
                return application.loadClass(name);
            }
        }
        throw new ClassNotFoundException(name + " (plugins see only the JDK, io.alknet.api and org.slf4j)");
    }
}
