package io.alknet.api.identity;

import io.alknet.api.plugin.ExtensionFactory;
import io.alknet.api.plugin.PluginContext;
import io.alknet.api.plugin.Settings;

/**
 * Creates {@link IdentityProvider}s. Called at startup and again on every configuration reload; a
 * failure on reload keeps the previous provider.
 */
public interface IdentityProviderFactory extends ExtensionFactory {

    /** Unique name, e.g. {@code keys}. */
    @Override
    String name();

    /**
     * Reads the provider's sources (files named in {@code settings}) and returns an immutable provider.
     *
     * @param settings the settings under {@code identity.<name>.}
     * @throws io.alknet.api.AlknetException {@code INVALID_CONFIG} naming the file, line and problem
     */
    IdentityProvider create(Settings settings, PluginContext context);
}
