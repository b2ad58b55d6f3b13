package io.alknet.auth.apikey.internal;

import io.alknet.auth.apikey.ApiKeys;
import io.alknet.api.identity.Credential;
import io.alknet.api.identity.IdentityProvider;
import io.alknet.api.plugin.Settings;
import io.alknet.testkit.contract.IdentityProviderContract;
import io.alknet.testkit.contract.TestPluginContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The API key provider against the identity provider contract, built by its factory from a real key file. */
class ApiKeyContractTest extends IdentityProviderContract {

    @TempDir
    Path dir;

    private ApiKeys.Created created;

    @BeforeEach
    void createKey() {
        created = ApiKeys.create(dir.resolve("api_keys"), Set.of("relay:connect"), Optional.empty(), "contract", Clock.systemUTC());
    }

    @Override
    protected IdentityProvider provider() {
        return new ApiKeyProviderFactory().create(Settings.of("identity.apikey.", Map.of("file", dir.resolve("api_keys").toString())),
                TestPluginContext.in(dir));
    }

    @Override
    protected Credential knownCredential() {
        return new Credential.ApiKey(peer(), "", created.key());
    }

    @Override
    protected String expectedIdentityId() {
        return created.entry().prefix();
    }
}
