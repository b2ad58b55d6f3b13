package io.alknet.api.metrics;

import io.alknet.api.plugin.ExtensionFactory;
import io.alknet.api.plugin.PluginContext;
import io.alknet.api.plugin.Settings;

/**
 * Creates a server's {@link MetricsBackend}. The kernel creates one only when the backend's {@code listen} setting
 * ({@code metrics.<name>.listen}) is given: metrics are off by default.
 *
 * <p>Threading: called by the kernel from one thread at startup; must do no I/O (that waits for
 * {@link MetricsBackend#start()}).
 */
public interface MetricsFactory extends ExtensionFactory {

    /** Unique name, e.g. {@code prometheus}. */
    @Override
    String name();

    /**
     * @param settings the settings under {@code metrics.<name>.}
     * @throws io.alknet.api.AlknetException {@code INVALID_CONFIG} for a setting it cannot use, naming it
     */
    MetricsBackend create(Settings settings, PluginContext context);
}
