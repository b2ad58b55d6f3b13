package io.alknet.auth.keys.internal;

import io.alknet.api.identity.Credential;
import io.alknet.api.identity.IdentityProvider;
import io.alknet.api.plugin.Settings;
import io.alknet.testkit.contract.IdentityProviderContract;
import io.alknet.testkit.contract.TestPluginContext;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

/** The authorized-keys provider against the identity provider contract, built by its factory from a real file. */
class AuthorizedKeysContractTest extends IdentityProviderContract {

    @TempDir
    Path dir;

    private final byte[] alice = AuthorizedKeysTest.ed25519Blob(11);

    @Override
    protected IdentityProvider provider() throws Exception {
        Path file = dir.resolve("authorized_keys");
        Files.writeString(file, "ssh-ed25519 " + Base64.getEncoder().encodeToString(alice) + " alice\n");
        return new AuthorizedKeysProviderFactory().create(Settings.of("identity.keys.", Map.of("authorized-keys", file.toString())),
                TestPluginContext.in(dir));
    }

    @Override
    protected Credential knownCredential() {
        return new Credential.PublicKey(peer(), "alice", "ssh-ed25519", alice, AuthorizedKeysFile.fingerprint(alice));
    }

    @Override
    protected String expectedIdentityId() {
        return AuthorizedKeysFile.fingerprint(alice);
    }
}
