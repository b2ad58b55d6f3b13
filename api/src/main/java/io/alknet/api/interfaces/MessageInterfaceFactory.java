package io.alknet.api.interfaces;

import io.alknet.api.plugin.PluginContext;
import io.alknet.api.plugin.Settings;

/** Creates a {@link MessageInterface}. Pure, like every factory. */
public interface MessageInterfaceFactory {

    /** Unique name, e.g. {@code http}. */
    String name();

    /** @param settings the settings under {@code interface.<name>.} */
    MessageInterface create(Settings settings, PluginContext context);
}
