package io.alknet.api.interfaces;

import io.alknet.api.plugin.ExtensionFactory;
import io.alknet.api.plugin.PluginContext;
import io.alknet.api.plugin.Settings;

/** Creates a {@link MessageInterface}. Pure, like every factory. */
public interface MessageInterfaceFactory extends ExtensionFactory {

    /** Unique name, e.g. {@code http}. */
    @Override
    String name();

    /** @param settings the settings under {@code interface.<name>.} */
    MessageInterface create(Settings settings, PluginContext context);
}
