package io.alknet.auth.keys;

import io.alknet.auth.keys.internal.AuthorizedKeysProviderFactory;
import io.alknet.api.identity.IdentityProviderFactory;
import io.alknet.api.plugin.AlknetPlugin;

import java.util.List;

/** Contributes the {@code keys} identity provider. */
public final class KeysPlugin implements AlknetPlugin {

    @Override
    public String name() {
        return "keys";
    }

    @Override
    public List<IdentityProviderFactory> identityProviders() {
        return List.of(new AuthorizedKeysProviderFactory());
    }
}
