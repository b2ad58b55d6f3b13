package io.alknet.auth.apikey.internal;

import io.alknet.api.AlknetException;
import io.alknet.auth.apikey.ApiKeyEntry;
import io.alknet.auth.apikey.ApiKeys;
import io.alknet.api.identity.Credential;
import io.alknet.api.identity.IdentityResolution;
import io.alknet.api.policy.Quota;
import io.alknet.api.stream.PeerInfo;
import io.alknet.api.transport.SecurityLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApiKeysTest {

    private static final PeerInfo PEER = PeerInfo.socket("http", SecurityLevel.TLS, null, null);
    private static final Clock NOW = Clock.fixed(Instant.parse("2026-11-29T06:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    @Test
    void createdKeyResolvesToItsPrefixAndScopesAndIsStoredOnlyAsASaltedHash() throws Exception {
        Path file = dir.resolve("api_keys");
        ApiKeys.Created created = ApiKeys.create(file, Set.of("relay:connect", "ops:call"), Optional.of(Duration.ofDays(30)),
                "CI runner", NOW);

        assertThat(created.key()).startsWith("alk_").hasSize(36);
        String stored = Files.readString(file);
        assertThat(stored).doesNotContain(created.key()).doesNotContain(created.key().substring(12))
                .contains(created.entry().prefix()).contains("salted-sha256:").contains("description=\"CI runner\"");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");

        IdentityResolution resolution = provider(file, NOW).resolve(new Credential.ApiKey(PEER, "", created.key()));
        assertThat(resolution).isInstanceOfSatisfying(IdentityResolution.Resolved.class, resolved -> {
            assertThat(resolved.identity().id()).isEqualTo(created.entry().prefix());
            assertThat(resolved.identity().name()).isEqualTo("CI runner");
            assertThat(resolved.identity().scopes()).containsExactlyInAnyOrder("relay:connect", "ops:call");
        });
    }

    @Test
    void wrongSecretExpiryUnknownPrefixAndRevocationAreRefused() {
        Path file = dir.resolve("api_keys");
        ApiKeys.Created created = ApiKeys.create(file, Set.of("relay:connect"), Optional.of(Duration.ofDays(1)), "", NOW);
        String key = created.key();
        char last = key.charAt(key.length() - 1);
        String tampered = key.substring(0, key.length() - 1) + (last == 'a' ? 'b' : 'a');

        assertThat(provider(file, NOW).resolve(new Credential.ApiKey(PEER, "", tampered)))
                .isEqualTo(IdentityResolution.rejected("apikey_invalid"));
        assertThat(provider(file, Clock.offset(NOW, Duration.ofDays(2))).resolve(new Credential.ApiKey(PEER, "", key)))
                .isEqualTo(IdentityResolution.rejected("apikey_expired"));
        assertThat(provider(file, NOW).resolve(new Credential.ApiKey(PEER, "", "alk_zzzzzzzz" + key.substring(12))))
                .isInstanceOf(IdentityResolution.Unknown.class);
        assertThat(provider(file, NOW).resolve(new Credential.ApiKey(PEER, "", "not-an-alknet-key")))
                .isInstanceOf(IdentityResolution.Unknown.class);

        assertThat(ApiKeys.revoke(file, created.entry().prefix())).isTrue();
        assertThat(provider(file, NOW).resolve(new Credential.ApiKey(PEER, "", key))).isInstanceOf(IdentityResolution.Unknown.class);
        assertThat(ApiKeys.revoke(file, created.entry().prefix())).isFalse();
    }

    @Test
    void specsUnsaltedSha256EntriesStillWork() throws Exception {
        String key = "alk_abcdefgh" + "0123456789abcdefghijklmnop";
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        Path file = dir.resolve("api_keys");
        Files.writeString(file, "alk_abcdefgh sha256:" + hash + " scopes=relay:connect\n");
        assertThat(provider(file, NOW).resolve(new Credential.ApiKey(PEER, "", key))).isInstanceOf(IdentityResolution.Resolved.class);
    }

    @Test
    void malformedLinesNameTheirFileAndLine() throws Exception {
        Path file = dir.resolve("api_keys");
        Files.writeString(file, "# keys\nalk_abcdefgh sha256:nothex\n");
        assertThatThrownBy(() -> ApiKeys.read(file)).isInstanceOf(AlknetException.class)
                .hasMessageContaining(file + ":2").hasMessageContaining("hash");
        Files.writeString(file, "alk_abcdefgh sha256:" + "0".repeat(64) + " colour=blue\n");
        assertThatThrownBy(() -> ApiKeys.read(file)).hasMessageContaining(file + ":1").hasMessageContaining("unknown field 'colour'");
        assertThatThrownBy(() -> ApiKeys.read(dir.resolve("missing"))).hasMessageContaining("alknet apikey create");
    }

    @Test
    void listingShowsWhatWasStored() {
        Path file = dir.resolve("api_keys");
        ApiKeys.create(file, Set.of("a"), Optional.empty(), "first", NOW);
        ApiKeys.create(file, Set.of("b"), Optional.of(Duration.ofHours(1)), "second \"quoted\"", NOW);
        List<ApiKeyEntry> entries = ApiKeys.read(file);
        assertThat(entries).extracting(ApiKeyEntry::description).containsExactly("first", "second \"quoted\"");
        assertThat(entries.get(1).expiresAt()).contains(NOW.instant().plus(Duration.ofHours(1)));
        assertThat(entries.get(0).expiresAt()).isEmpty();
    }

    @Test
    void aKeysQuotaIsStoredReadBackAndCarriedByItsIdentity() throws Exception {
        Path file = dir.resolve("api_keys");
        Quota quota = Quota.parse("sessions=2,rate=10MB/s");
        ApiKeys.Created created = ApiKeys.create(file, Set.of("relay:connect"), Optional.empty(), "capped", quota, NOW);
        ApiKeys.create(file, Set.of("relay:connect"), Optional.empty(), "free", NOW);
        assertThat(Files.readString(file)).contains("quota=\"sessions=2,rate-up=10000000/s,rate-down=10000000/s\"");
        assertThat(ApiKeys.read(file)).extracting(ApiKeyEntry::quota).containsExactly(quota, Quota.NONE);
        IdentityResolution resolution = provider(file, NOW).resolve(new Credential.ApiKey(PEER, "", created.key()));
        assertThat(((IdentityResolution.Resolved) resolution).identity().quota()).isEqualTo(quota);
        Files.writeString(file, "alk_abcdefgh sha256:" + "0".repeat(64) + " quota=\"rate=fast\"\n");
        assertThatThrownBy(() -> ApiKeys.read(file)).hasMessageContaining(file + ":1").hasMessageContaining("rate must be a size");
    }

    private static ApiKeyProvider provider(Path file, Clock clock) {
        return new ApiKeyProvider(ApiKeys.read(file), clock);
    }
}
