package io.alknet.storage;

import io.alknet.api.identity.IdentityProviderFactory;
import io.alknet.api.plugin.AlknetPlugin;
import io.alknet.api.call.Operation;
import io.alknet.api.plugin.PluginContext;
import io.alknet.storage.internal.SharedStorages;
import io.alknet.storage.internal.StorageIdentityProviderFactory;
import io.alknet.storage.internal.StorageWatch;

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

    /** {@code /storage/watch}, on the storage the server's {@code storage} identity provider opened. */
    @Override
    public List<Operation> serverOperations(PluginContext context) {
        return List.of(StorageWatch.operation(SharedStorages::single));
    }
}
