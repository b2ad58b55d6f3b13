package io.alknet.auth.apikey;

import io.alknet.auth.apikey.internal.ApiKeyProviderFactory;
import io.alknet.api.identity.IdentityProviderFactory;
import io.alknet.api.plugin.AlknetPlugin;

import java.util.List;

/** Contributes the {@code apikey} identity provider. */
public final class ApiKeyPlugin implements AlknetPlugin {

    @Override
    public String name() {
        return "apikey";
    }

    @Override
    public List<IdentityProviderFactory> identityProviders() {
        return List.of(new ApiKeyProviderFactory());
    }
}
