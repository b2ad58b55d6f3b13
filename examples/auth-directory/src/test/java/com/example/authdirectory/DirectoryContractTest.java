package com.example.authdirectory;

import io.alknet.api.identity.Credential;
import io.alknet.api.identity.IdentityProvider;
import io.alknet.api.plugin.Settings;
import io.alknet.testkit.contract.IdentityProviderContract;
import io.alknet.testkit.contract.TestPluginContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The directory provider against alknet's identity provider contract, built by its factory from a real file. */
class DirectoryContractTest extends IdentityProviderContract {

    @TempDir
    Path dir;

    @BeforeEach
    void directory() throws Exception {
        Files.writeString(dir.resolve("directory"), "uid=carol scopes=relay:connect keys=" + Keys.fingerprint(Keys.blob(1))
                + " tokens=" + DirectoryFile.hashSecret("carol-secret") + "\n");
    }

    @Override
    protected IdentityProvider provider() {
        return new DirectoryProviderFactory().create(Settings.of("identity.directory.", Map.of("file", dir.resolve("directory").toString())),
                TestPluginContext.in(dir));
    }

    @Override
    protected Credential knownCredential() {
        return new Credential.Token(peer(), "", "carol-secret");
    }

    @Override
    protected String expectedIdentityId() {
        return "carol";
    }
}
