package io.alknet.api.identity;

import io.alknet.api.plugin.ExtensionFactory;
import io.alknet.api.plugin.PluginContext;
import io.alknet.api.plugin.Settings;

/**
 * Creates a {@link CredentialProvider}. Every credential provider the plugins contribute is created when a server or
 * client starts, with its settings under {@code credential.<name>.}; handlers ask them, in plugin order, through
 * {@link io.alknet.api.call.OperationEnv#credentials(String)}, and the first that has credentials for the service
 * answers. So a provider must start with no settings at all (and then answer nothing).
 *
 * <p>Pure, like every factory: {@link #create} reads its settings but opens no file or socket that must be closed.
 */
public interface CredentialProviderFactory extends ExtensionFactory {

    /** Unique name, e.g. {@code file}. */
    @Override
    String name();

    /**
     * @param settings the settings under {@code credential.<name>.}
     * @throws io.alknet.api.AlknetException {@code INVALID_CONFIG} for bad settings
     */
    CredentialProvider create(Settings settings, PluginContext context);
}
