package io.alknet.api.transport;

import io.alknet.api.plugin.ExtensionFactory;
import io.alknet.api.plugin.PluginContext;
import io.alknet.api.plugin.Settings;

/**
 * Creates the {@link Transport} for one scheme. Contributed by a plugin through
 * {@link io.alknet.api.plugin.AlknetPlugin#transports()}.
 *
 * <p>Factories are pure: {@link #create} opens no socket, starts no thread and reads no file beyond
 * validating its settings.
 */
public interface TransportFactory extends ExtensionFactory {

    /** The scheme, e.g. {@code tcp}; unique across all plugins. */
    @Override
    String name();

    /** The protection transports of this factory give. */
    SecurityLevel security();

    /**
     * Creates the transport.
     *
     * @param settings the settings under {@code transport.<name>.}; unknown keys must be refused
     * @throws io.alknet.api.AlknetException with {@code INVALID_CONFIG} for bad settings
     */
    Transport create(Settings settings, PluginContext context);

    /**
     * Why this transport cannot run on this machine (a native library that was not built or does not load, another
     * platform), or empty when it can. {@code alknet plugins} shows it; {@link #create} then fails with the same reason.
     */
    default java.util.Optional<String> unavailableReason() {
        return java.util.Optional.empty();
    }
}
