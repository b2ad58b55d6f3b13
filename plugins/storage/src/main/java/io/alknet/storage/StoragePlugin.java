package io.alknet.storage;

import io.alknet.api.identity.IdentityProviderFactory;
import io.alknet.api.plugin.AlknetPlugin;
import io.alknet.storage.internal.StorageIdentityProviderFactory;

import java.util.List;

/** Contributes the {@code storage} identity provider: accounts and credentials in SQLite or PostgreSQL. */
public final class StoragePlugin implements AlknetPlugin {

    @Override
    public String name() {
        return StorageIdentityProviderFactory.NAME;
    }

    @Override
    public List<IdentityProviderFactory> identityProviders() {
        return List.of(new StorageIdentityProviderFactory());
    }
}
