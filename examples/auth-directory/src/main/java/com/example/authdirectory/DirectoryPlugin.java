package com.example.authdirectory;

import io.alknet.api.identity.IdentityProviderFactory;
import io.alknet.api.plugin.AlknetPlugin;

import java.util.List;

/**
 * The plugin's entry point, found by {@link java.util.ServiceLoader} through
 * {@code META-INF/services/io.alknet.api.plugin.AlknetPlugin}. It contributes one identity provider,
 * {@code directory}; select it with {@code --identity-provider directory} (or
 * {@code ServerOptions.Builder.identityProviders(List.of("directory", "keys"))}) and point
 * {@code identity.directory.file} at a directory file.
 */
public final class DirectoryPlugin implements AlknetPlugin {

    @Override
    public String name() {
        return DirectoryProviderFactory.NAME;
    }

    @Override
    public List<IdentityProviderFactory> identityProviders() {
        return List.of(new DirectoryProviderFactory());
    }
}
