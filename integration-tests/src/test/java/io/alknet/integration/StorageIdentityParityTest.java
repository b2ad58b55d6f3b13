package io.alknet.integration;

import io.alknet.api.Identity;
import io.alknet.api.identity.Credential;
import io.alknet.api.identity.IdentityProvider;
import io.alknet.api.identity.IdentityResolution;
import io.alknet.api.plugin.Settings;
import io.alknet.api.stream.PeerInfo;
import io.alknet.api.transport.SecurityLevel;
import io.alknet.kernel.Alknet;
import io.alknet.kernel.ExtensionKind;
import io.alknet.kernel.PluginCatalog;
import io.alknet.storage.Account;
import io.alknet.storage.Accounts;
import io.alknet.storage.Storage;
import io.alknet.storage.StorageOptions;
import io.alknet.testkit.contract.TestPluginContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spec services.md §4: given the same keys and scopes, the storage provider yields exactly the identity the file-based
 * providers yield: an SSH key in authorized_keys (keys) and in the database; an API key in a key file (apikey) and in
 * the database. The storage provider runs with identity-id=credential, the mode for moving from files to a database
 * with policy rules unchanged; in its default mode the id is the account's instead.
 */
class StorageIdentityParityTest {

    @TempDir
    Path dir;

    private final PluginCatalog catalog = Alknet.discover(Optional.empty());

    private IdentityProvider provider(String name, Map<String, String> settings) {
        return catalog.require(ExtensionKind.IDENTITY_PROVIDER, name).factory()
                .create(Settings.of("identity." + name + ".", settings), TestPluginContext.in(dir));
    }

    private static PeerInfo peer() {
        return PeerInfo.socket("tcp", SecurityLevel.UNPROTECTED, new InetSocketAddress("127.0.0.1", 40000), new InetSocketAddress("127.0.0.1", 2222));
    }

    @Test
    void theSameKeysAndScopesGiveTheSameIdentityFromFilesAndFromTheDatabase() throws Exception {
        byte[] raw = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic().getEncoded();
        byte[] type = "ssh-ed25519".getBytes(StandardCharsets.US_ASCII);
        byte[] blob = ByteBuffer.allocate(4 + type.length + 4 + 32).putInt(type.length).put(type).putInt(32)
                .put(Arrays.copyOfRange(raw, raw.length - 32, raw.length)).array();
        String fingerprint = "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256").digest(blob));
        String keyLine = "ssh-ed25519 " + Base64.getEncoder().encodeToString(blob) + " alice@laptop";
        Set<String> scopes = Set.of("relay:connect", "metrics:read");

        Path database = dir.resolve("alknet.db");
        String apiKey;
        String apiKeyLine;
        try (Storage storage = Storage.open(StorageOptions.of(database.toString()))) {
            Accounts accounts = storage.accounts();
            Account alice = accounts.createAccount("alice@example.org", "Alice", Account.AccessLevel.USER, scopes);
            accounts.addSshKey(alice.id(), keyLine, Optional.empty(), Optional.empty(), Optional.empty());
            Accounts.CreatedApiKey created = accounts.createApiKey(alice.id(), "CI runner", Optional.empty(), Optional.empty());
            apiKey = created.key();
            apiKeyLine = created.stored().prefix() + " " + created.stored().hash() + " scopes=relay:connect,metrics:read "
                    + "created=2026-12-01T00:00:00Z description=\"CI runner\"\n";
        }
        Path authorizedKeys = dir.resolve("authorized_keys");
        Files.writeString(authorizedKeys, "scopes=\"metrics:read\" " + keyLine + "\n");
        Path apiKeys = dir.resolve("api_keys");
        Files.writeString(apiKeys, apiKeyLine);

        Credential.PublicKey key = new Credential.PublicKey(peer(), "alice", "ssh-ed25519", blob, fingerprint);
        Credential.ApiKey bearer = new Credential.ApiKey(peer(), "", apiKey);
        try (IdentityProvider keys = provider("keys", Map.of("authorized-keys", authorizedKeys.toString()));
             IdentityProvider apikey = provider("apikey", Map.of("file", apiKeys.toString()));
             IdentityProvider storage = provider("storage", Map.of("url", database.toString(), "identity-id", "credential"))) {
            IdentityResolution fromFile = keys.resolve(key);
            assertThat(fromFile).isEqualTo(IdentityResolution.resolved(Identity.of(fingerprint, "alice@laptop", scopes)));
            assertThat(storage.resolve(key)).isEqualTo(fromFile);

            IdentityResolution fromKeyFile = apikey.resolve(bearer);
            assertThat(fromKeyFile).isInstanceOf(IdentityResolution.Resolved.class);
            assertThat(storage.resolve(bearer)).isEqualTo(fromKeyFile);
        }
    }
}
