package io.alknet.storage;

import io.alknet.api.identity.Credential;
import io.alknet.api.identity.IdentityProvider;
import io.alknet.api.plugin.Settings;
import io.alknet.storage.internal.StorageIdentityProviderFactory;
import io.alknet.testkit.contract.IdentityProviderContract;
import io.alknet.testkit.contract.TestPluginContext;
import io.alknet.testkit.PostgresCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The storage provider against the identity provider contract, built by its factory, on SQLite and on PostgreSQL. */
@ParameterizedClass
@EnumSource(Backend.class)
@ExtendWith(PostgresCluster.Extension.class)
class StorageIdentityProviderContractTest extends IdentityProviderContract {

    @Parameter
    Backend backend;

    @TempDir
    Path directory;

    private StorageOptions options;
    private Storage storage;
    private Account account;
    private final List<IdentityProvider> providers = new ArrayList<>();

    @BeforeEach
    void account() {
        options = backend.newDatabase(directory);
        storage = Storage.open(options);
        account = storage.accounts().createAccount("carol@example.org", "Carol", Account.AccessLevel.USER, Set.of("relay:connect"));
        storage.accounts().addSshKey(account.id(), TestKeys.line(7, "carol"), Optional.empty(), Optional.empty(), Optional.empty());
    }

    @AfterEach
    void close() {
        providers.forEach(IdentityProvider::close);
        storage.close();
    }

    @Override
    protected IdentityProvider provider() throws Exception {
        IdentityProvider provider = new StorageIdentityProviderFactory().create(Settings.of("identity.storage.",
                StorageIdentityProviderTest.settings(options, "account")), TestPluginContext.in(directory));
        providers.add(provider);
        return provider;
    }

    @Override
    protected Credential knownCredential() {
        return new Credential.PublicKey(peer(), "carol", "ssh-ed25519", TestKeys.blob(7), TestKeys.fingerprint(7));
    }

    @Override
    protected String expectedIdentityId() {
        return account.id();
    }
}
