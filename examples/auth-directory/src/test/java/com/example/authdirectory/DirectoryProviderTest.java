package com.example.authdirectory;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.api.Identity;
import io.alknet.api.identity.Credential;
import io.alknet.api.identity.IdentityProvider;
import io.alknet.api.identity.IdentityResolution;
import io.alknet.api.plugin.AlknetPlugin;
import io.alknet.api.plugin.Settings;
import io.alknet.api.stream.PeerInfo;
import io.alknet.api.transport.SecurityLevel;
import io.alknet.testkit.contract.TestPluginContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DirectoryProviderTest {

    private static final PeerInfo PEER = PeerInfo.socket("tcp", SecurityLevel.UNPROTECTED,
            new InetSocketAddress("127.0.0.1", 40000), new InetSocketAddress("127.0.0.1", 2222));

    @TempDir
    Path dir;

    private Path file;
    private byte[] carolKey;
    private byte[] daveKey;
    private byte[] erinKey;

    @BeforeEach
    void directory() throws Exception {
        carolKey = Keys.blob(1);
        daveKey = Keys.blob(2);
        erinKey = Keys.blob(3);
        file = dir.resolve("directory");
        Files.writeString(file, """
                uid=carol name="Carol Example" scopes=relay:connect,greeter:use keys=%s tokens=%s,%s
                uid=dave keys=%s tokens=%s expires=2026-06-01T00:00:00Z
                uid=erin keys=%s status=disabled
                """.formatted(Keys.fingerprint(carolKey), DirectoryFile.hashSecret("carol-token"), DirectoryFile.hashSecret("alk_carol123_apikeysecret"),
                Keys.fingerprint(daveKey), DirectoryFile.hashSecret("dave-token"), Keys.fingerprint(erinKey)));
    }

    private IdentityProvider provider(Map<String, String> extra, Clock clock) {
        Map<String, String> settings = new HashMap<>(extra);
        settings.putIfAbsent("file", file.toString());
        return new DirectoryProviderFactory().create(Settings.of("identity.directory.", settings),
                new TestPluginContext(dir, clock));
    }

    private IdentityProvider provider() {
        return provider(Map.of(), Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
    }

    private static Credential.PublicKey key(String user, byte[] blob) throws Exception {
        return new Credential.PublicKey(PEER, user, "ssh-ed25519", blob, Keys.fingerprint(blob));
    }

    @Test
    void aListedKeyResolvesToTheAccountWithItsScopes() throws Exception {
        IdentityResolution resolution = provider().resolve(key("carol", carolKey));
        assertThat(resolution).isEqualTo(IdentityResolution.resolved(
                Identity.of("carol", "Carol Example", Set.of("relay:connect", "greeter:use"))));
    }

    @Test
    void aListedBearerSecretResolvesAsTokenOrApiKey() {
        IdentityProvider provider = provider();
        assertThat(provider.resolve(new Credential.Token(PEER, "", "carol-token")))
                .isInstanceOfSatisfying(IdentityResolution.Resolved.class, r -> assertThat(r.identity().id()).isEqualTo("carol"));
        assertThat(provider.resolve(new Credential.ApiKey(PEER, "", "alk_carol123_apikeysecret")))
                .isInstanceOfSatisfying(IdentityResolution.Resolved.class, r -> assertThat(r.identity().id()).isEqualTo("carol"));
        assertThat(provider.resolve(new Credential.Token(PEER, "", "dave-token")))
                .isInstanceOfSatisfying(IdentityResolution.Resolved.class, r -> assertThat(r.identity().scopes()).isEmpty());
    }

    @Test
    void unknownCredentialsAreLeftToTheNextProvider() throws Exception {
        IdentityProvider provider = provider();
        assertThat(provider.resolve(key("carol", Keys.blob(99)))).isEqualTo(IdentityResolution.unknown());
        assertThat(provider.resolve(new Credential.Token(PEER, "", "carol-token "))).isEqualTo(IdentityResolution.unknown());
        assertThat(provider.resolve(new Credential.Token(PEER, "", "wrong"))).isEqualTo(IdentityResolution.unknown());
        assertThat(provider.resolve(new Credential.Token(PEER, "", ""))).isEqualTo(IdentityResolution.unknown());
        assertThat(provider.resolve(new Credential.Token(PEER, "", "x".repeat(10_000)))).isEqualTo(IdentityResolution.unknown());
        assertThat(provider.resolve(new Credential.ApiKey(PEER, "", "alk_nothere_0000000000000000000000000000"))).isEqualTo(IdentityResolution.unknown());
        assertThat(provider.resolve(new Credential.Certificate(PEER, "carol", "ssh-ed25519-cert-v01@openssh.com", carolKey,
                Keys.fingerprint(carolKey)))).as("certificates are not this provider's business").isEqualTo(IdentityResolution.unknown());
    }

    @Test
    void aKnownAccountThatMayNotLogInIsRejectedWithAReason() throws Exception {
        IdentityProvider provider = provider();
        assertThat(provider.resolve(key("erin", erinKey))).isEqualTo(IdentityResolution.rejected("account_disabled"));
        assertThat(provider.resolve(key("dave", daveKey))).isInstanceOf(IdentityResolution.Resolved.class);

        IdentityProvider later = provider(Map.of(), Clock.fixed(Instant.parse("2026-06-01T00:00:00Z"), ZoneOffset.UTC));
        assertThat(later.resolve(key("dave", daveKey))).isEqualTo(IdentityResolution.rejected("account_expired"));
        assertThat(later.resolve(new Credential.Token(PEER, "", "dave-token"))).isEqualTo(IdentityResolution.rejected("account_expired"));
    }

    @Test
    void matchUserRequiresTheUidAsSshUserName() throws Exception {
        Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
        assertThat(provider().resolve(key("whoever", carolKey))).as("off by default").isInstanceOf(IdentityResolution.Resolved.class);
        IdentityProvider strict = provider(Map.of("match-user", "true"), clock);
        assertThat(strict.resolve(key("carol", carolKey))).isInstanceOf(IdentityResolution.Resolved.class);
        assertThat(strict.resolve(key("dave", carolKey))).isEqualTo(IdentityResolution.rejected("user_mismatch"));
        assertThat(strict.resolve(new Credential.Token(PEER, "", "carol-token"))).as("bearer secrets carry no user name")
                .isInstanceOf(IdentityResolution.Resolved.class);
    }

    @Test
    void theFactoryRefusesMissingFilesAndUnknownSettings() {
        assertThatThrownBy(() -> new DirectoryProviderFactory().create(Settings.empty("identity.directory."), TestPluginContext.in(dir)))
                .isInstanceOf(AlknetException.class).hasMessageContaining("missing setting 'identity.directory.file'")
                .satisfies(e -> assertThat(((AlknetException) e).code()).isEqualTo(ErrorCode.INVALID_CONFIG));
        assertThatThrownBy(() -> provider(Map.of("colour", "blue"), Clock.systemUTC()))
                .isInstanceOf(AlknetException.class).hasMessageContaining("unknown setting 'identity.directory.colour'");
        assertThatThrownBy(() -> provider(Map.of("file", dir.resolve("missing").toString()), Clock.systemUTC()))
                .isInstanceOf(AlknetException.class).hasMessageContaining("directory file not found");
    }

    @Test
    void severalFilesShareOneNamespace() throws Exception {
        Path second = dir.resolve("second");
        Files.writeString(second, "uid=frank keys=" + Keys.fingerprint(Keys.blob(4)) + "\n");
        IdentityProvider provider = provider(Map.of("file", file + ", " + second), Clock.systemUTC());
        assertThat(provider.resolve(key("frank", Keys.blob(4)))).isInstanceOf(IdentityResolution.Resolved.class);
        assertThat(provider.resolve(key("carol", carolKey))).isInstanceOf(IdentityResolution.Resolved.class);

        Files.writeString(second, "uid=carol\n");
        assertThatThrownBy(() -> provider(Map.of("file", file + "," + second), Clock.systemUTC()))
                .hasMessageContaining(second + ":1: uid 'carol' is already defined at " + file + ":1");
    }

    @Test
    void thePluginIsFoundByServiceLoaderAndContributesTheProvider() {
        AlknetPlugin plugin = ServiceLoader.load(AlknetPlugin.class).stream()
                .map(ServiceLoader.Provider::get).filter(p -> p.name().equals("directory")).findFirst().orElseThrow();
        assertThat(plugin).isInstanceOf(DirectoryPlugin.class);
        assertThat(plugin.identityProviders()).singleElement().satisfies(f -> assertThat(f.name()).isEqualTo("directory"));
    }
}
