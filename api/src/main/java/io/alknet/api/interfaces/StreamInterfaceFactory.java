package io.alknet.api.interfaces;

import io.alknet.api.plugin.ExtensionFactory;
import io.alknet.api.plugin.PluginContext;
import io.alknet.api.plugin.Settings;

/**
 * Creates a {@link StreamInterface}. Pure: no threads, sockets or files beyond validating settings
 * (host keys are loaded in {@link StreamInterface#prepareServer()}).
 */
public interface StreamInterfaceFactory extends ExtensionFactory {

    /** Unique name, e.g. {@code ssh}. */
    @Override
    String name();

    /**
     * @param settings the settings under {@code interface.<name>.}
     * @throws io.alknet.api.AlknetException {@code INVALID_CONFIG} for bad settings
     */
    StreamInterface create(Settings settings, PluginContext context);
}
