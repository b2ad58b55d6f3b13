package io.alknet.kernel.internal;

import io.alknet.api.interfaces.HttpGateway;
import io.alknet.api.metrics.Metrics;
import io.alknet.api.plugin.PluginContext;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The {@link PluginContext} of a running server's components: the kernel's, plus the HTTP gateway of the server's
 * message interface once it has started (the stealth TLS listener hands {@code /v1/…} requests to it in-process).
 */
record ServerPluginContext(PluginContext kernel, Supplier<Optional<HttpGateway>> gateway, Metrics metrics) implements PluginContext {

    ServerPluginContext {
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(gateway, "gateway");
        Objects.requireNonNull(metrics, "metrics");
    }

    /** The same context, recording into {@code running}. */
    ServerPluginContext withMetrics(Metrics running) {
        return new ServerPluginContext(kernel, gateway, running);
    }

    @Override
    public Path stateDirectory() {
        return kernel.stateDirectory();
    }

    @Override
    public Clock clock() {
        return kernel.clock();
    }

    @Override
    public Optional<HttpGateway> httpGateway() {
        return gateway.get();
    }
}
