package io.alknet.api.plugin;

import io.alknet.api.interfaces.HttpGateway;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * What the kernel offers every component a plugin creates.
 *
 * <p>Threading: all methods are safe from any thread.
 */
public interface PluginContext {

    /** alknet's state directory ({@code ~/.alknet} unless configured); may not exist yet. */
    Path stateDirectory();

    /** The clock to use for validity windows and expiry; tests may fix it. */
    Clock clock();

    /**
     * The server's HTTP message interface as an in-process gateway, while one runs: empty on a client, on a server
     * without one, and before it has started. Look it up per request; it may start after the component asking.
     */
    default Optional<HttpGateway> httpGateway() {
        return Optional.empty();
    }

    /**
     * Where the server's components record what they count ({@link io.alknet.api.metrics.Metrics}): the running
     * backend's when metrics are on, {@link io.alknet.api.metrics.Metrics#NONE} otherwise and on clients.
     */
    default io.alknet.api.metrics.Metrics metrics() {
        return io.alknet.api.metrics.Metrics.NONE;
    }
}
