package io.alknet.kernel;

import com.google.inject.AbstractModule;
import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.ProvisionException;
import com.google.inject.Stage;
import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.kernel.internal.ClientRuntime;
import io.alknet.kernel.internal.KernelModule;
import io.alknet.kernel.internal.PluginDiscovery;
import io.alknet.kernel.internal.ServerRuntime;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * The embedding API. {@link #server} and {@link #client} discover the plugins, compose them with Guice
 * (PRODUCTION stage, explicit bindings) and start the result:
 *
 * <pre>{@code
 * try (AlknetServer server = Alknet.server(ServerOptions.builder()
 *         .listen("tcp://127.0.0.1:2222", "ssh")
 *         .identityProviders(List.of("keys"))
 *         .forwardingPolicy("rules")
 *         .setting("identity.keys.authorized-keys", Path.of("authorized_keys"))
 *         .setting(KernelSettings.FORWARD_TRANSPORT, "tcp")
 *         .build())) {
 *     server.awaitTermination();
 * }
 * }</pre>
 *
 * The kernel itself names no plugin: {@code io.alknet.defaults.BuiltIns} holds the names of the built-in ones and
 * builders that choose them.
 */
public final class Alknet {

    private Alknet() {
    }

    /**
     * Discovers the plugins on the class path and in {@code pluginDirectory}.
     *
     * @throws AlknetException {@code PLUGIN_CONFLICT} when two plugins claim one name
     */
    public static PluginCatalog discover(Optional<Path> pluginDirectory) {
        return PluginDiscovery.discover(pluginDirectory);
    }

    /** Starts a server; returns once every listener is bound. */
    public static AlknetServer server(ServerOptions options) {
        return server(options, discover(options.pluginDirectory()));
    }

    /**
     * Starts a server with the plugins of {@code catalog}, found before by {@link #discover} (say to read what they
     * declare first); returns once every listener is bound.
     */
    public static AlknetServer server(ServerOptions options, PluginCatalog catalog) {
        Injector injector = inject(new KernelModule(catalog, options.settings(), options.stateDirectory(), Clock.systemUTC()),
                new AbstractModule() {
                    @Override
                    protected void configure() {
                        bind(ServerOptions.class).toInstance(options);
                        bind(ServerRuntime.class);
                    }
                });
        return instance(injector, ServerRuntime.class).start();
    }

    /** Starts a client; returns once the first session is up and every front end listens. */
    public static AlknetClient client(ClientOptions options) {
        PluginCatalog catalog = discover(options.pluginDirectory());
        Injector injector = inject(new KernelModule(catalog, options.settings(), options.stateDirectory(), Clock.systemUTC()),
                new AbstractModule() {
                    @Override
                    protected void configure() {
                        bind(ClientOptions.class).toInstance(options);
                        bind(ClientRuntime.class);
                    }
                });
        return instance(injector, ClientRuntime.class).start();
    }

    private static Injector inject(AbstractModule kernel, AbstractModule runtime) {
        try {
            return Guice.createInjector(Stage.PRODUCTION, kernel, runtime);
        } catch (CreationException e) {
            throw unwrap(e, e.getCause());
        }
    }

    private static <T> T instance(Injector injector, Class<T> type) {
        try {
            return injector.getInstance(type);
        } catch (ProvisionException e) {
            throw unwrap(e, e.getCause());
        }
    }

    private static RuntimeException unwrap(RuntimeException guice, Throwable cause) {
        if (cause instanceof AlknetException alknet) {
            return alknet;
        }
        return new AlknetException(ErrorCode.INTERNAL, "cannot compose alknet: " + guice.getMessage(), guice);
    }

    /** {@code ~/.alknet}, or {@code $ALKNET_STATE_DIR} when set. */
    public static Path defaultStateDirectory() {
        String override = System.getenv("ALKNET_STATE_DIR");
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        return Path.of(System.getProperty("user.home"), ".alknet");
    }

    /** {@code $USER}, else {@code $USERNAME}, else {@code alknet}. */
    public static String defaultUser() {
        Map<String, String> env = System.getenv();
        for (String name : new String[] {"USER", "USERNAME"}) {
            String value = env.get(name);
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return "alknet";
    }
}
