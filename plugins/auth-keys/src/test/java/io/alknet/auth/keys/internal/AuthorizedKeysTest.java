package io.alknet.auth.keys.internal;

import io.alknet.api.AlknetException;
import io.alknet.api.Identity;
import io.alknet.api.identity.Credential;
import io.alknet.api.identity.IdentityResolution;
import io.alknet.api.stream.PeerInfo;
import io.alknet.api.transport.SecurityLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuthorizedKeysTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-06-01T00:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    @Test
    void readsKeysSkippingCommentsAndBlankLines() throws Exception {
        byte[] alice = ed25519Blob(1);
        byte[] bob = ed25519Blob(2);
        AuthorizedKeysProvider provider = provider("""
                # team keys

                ssh-ed25519 %s alice@laptop
                no-pty,no-agent-forwarding ssh-ed25519 %s bob
                """.formatted(b64(alice), b64(bob)));
        assertThat(provider.loginKeys()).isEqualTo(2);
        Identity identity = resolved(provider.resolve(key(alice, "203.0.113.5")));
        assertThat(identity.id()).isEqualTo(AuthorizedKeysFile.fingerprint(alice)).startsWith("SHA256:");
        assertThat(identity.name()).isEqualTo("alice@laptop");
        assertThat(identity.scopes()).containsExactly(Identity.RELAY_CONNECT);
        assertThat(resolved(provider.resolve(key(bob, "203.0.113.5"))).name()).isEqualTo("bob");
    }

    @Test
    void unknownKeyIsUnknownAndOtherKeyTypesAreRejectedByType() throws Exception {
        AuthorizedKeysProvider provider = provider("ssh-ed25519 " + b64(ed25519Blob(1)) + " alice\n");
        assertThat(provider.resolve(key(ed25519Blob(9), "203.0.113.5"))).isInstanceOf(IdentityResolution.Unknown.class);
        Credential.PublicKey rsa = new Credential.PublicKey(peer("203.0.113.5"), "alice", "ssh-rsa", new byte[] {1, 2, 3}, "SHA256:x");
        assertThat(provider.resolve(rsa)).isEqualTo(IdentityResolution.rejected("key_type_not_allowed"));
    }

    @Test
    void emptyFileRejectsEveryone() throws Exception {
        assertThat(provider("").resolve(key(ed25519Blob(1), "203.0.113.5"))).isInstanceOf(IdentityResolution.Unknown.class);
    }

    @Test
    void nonEd25519LinesAreSkippedNotFatal() throws Exception {
        AuthorizedKeysProvider provider = provider("ssh-rsa " + b64("ssh-rsa".getBytes(StandardCharsets.US_ASCII)) + " old\n"
                + "ssh-ed25519 " + b64(ed25519Blob(1)) + " alice\n");
        assertThat(provider.loginKeys()).isEqualTo(1);
    }

    @Test
    void certAuthorityLinesNeverLogInAsPlainKeys() throws Exception {
        byte[] ca = ed25519Blob(5);
        AuthorizedKeysProvider provider = provider("cert-authority,principals=\"alice,bob\" ssh-ed25519 " + b64(ca) + " ca\n");
        assertThat(provider.loginKeys()).isZero();
        assertThat(provider.resolve(key(ca, "203.0.113.5"))).isInstanceOf(IdentityResolution.Unknown.class);
    }

    @Test
    void restrictionsAreEnforced() throws Exception {
        byte[] limited = ed25519Blob(1);
        byte[] expired = ed25519Blob(2);
        byte[] fromLan = ed25519Blob(3);
        AuthorizedKeysProvider provider = provider("""
                restrict ssh-ed25519 %s limited
                expiry-time="20260101" ssh-ed25519 %s expired
                from="10.0.0.0/8,!10.9.9.9,192.168.1.*" ssh-ed25519 %s lan
                """.formatted(b64(limited), b64(expired), b64(fromLan)));
        assertThat(resolved(provider.resolve(key(limited, "203.0.113.5"))).scopes()).isEmpty();
        assertThat(provider.resolve(key(expired, "203.0.113.5"))).isEqualTo(IdentityResolution.rejected("key_expired"));
        assertThat(provider.resolve(key(fromLan, "10.1.2.3"))).isInstanceOf(IdentityResolution.Resolved.class);
        assertThat(provider.resolve(key(fromLan, "192.168.1.77"))).isInstanceOf(IdentityResolution.Resolved.class);
        assertThat(provider.resolve(key(fromLan, "10.9.9.9"))).isEqualTo(IdentityResolution.rejected("source_not_allowed"));
        assertThat(provider.resolve(key(fromLan, "203.0.113.5"))).isEqualTo(IdentityResolution.rejected("source_not_allowed"));
    }

    /** A CIDR block that cannot be read (010.9.0.0/16 is ambiguous) refuses the whole list: its negation is never dropped. */
    @Test
    void anUnreadableCidrInFromRefusesRatherThanLosingANegation() throws Exception {
        byte[] key = ed25519Blob(4);
        AuthorizedKeysProvider provider = provider("from=\"10.0.0.0/8,!010.9.0.0/16\" ssh-ed25519 " + b64(key) + " lan\n");
        assertThat(provider.resolve(key(key, "10.9.1.1"))).isEqualTo(IdentityResolution.rejected("source_not_allowed"));
        assertThat(provider.resolve(key(key, "10.1.1.1"))).isEqualTo(IdentityResolution.rejected("source_not_allowed"));
    }

    @Test
    void aQuotaOptionTravelsWithTheIdentityAndAMalformedOneNamesTheLine() throws Exception {
        byte[] capped = ed25519Blob(5);
        byte[] free = ed25519Blob(6);
        AuthorizedKeysProvider provider = provider("quota=\"sessions=1,rate=10MB/s\" ssh-ed25519 " + b64(capped) + " capped\n"
                + "ssh-ed25519 " + b64(free) + " free\n");
        assertThat(resolved(provider.resolve(key(capped, "203.0.113.5"))).quota())
                .isEqualTo(io.alknet.api.policy.Quota.parse("sessions=1,rate=10MB/s"));
        assertThat(resolved(provider.resolve(key(free, "203.0.113.5"))).quota().isNone()).isTrue();
        assertThatThrownBy(() -> provider("\nquota=\"rate=fast\" ssh-ed25519 " + b64(capped) + "\n"))
                .isInstanceOf(AlknetException.class).hasMessageContaining("authorized_keys:2").hasMessageContaining("rate must be a size");
    }

    @Test
    void malformedLinesNameFileAndLine() throws Exception {
        assertThatThrownBy(() -> provider("\nssh-ed25519 !!notbase64!! x\n"))
                .isInstanceOf(AlknetException.class).hasMessageContaining("authorized_keys:2").hasMessageContaining("base64");
        assertThatThrownBy(() -> provider("ssh-ed25519 " + b64(new byte[] {0, 0, 0, 11, 's'}) + "\n"))
                .isInstanceOf(AlknetException.class).hasMessageContaining(":1").hasMessageContaining("truncated");
        assertThatThrownBy(() -> provider("permitopen=\"db:5432\" ssh-ed25519 " + b64(ed25519Blob(1)) + "\n"))
                .isInstanceOf(AlknetException.class).hasMessageContaining("permitopen").hasMessageContaining("policy");
        assertThatThrownBy(() -> provider("bogus-option ssh-ed25519 " + b64(ed25519Blob(1)) + "\n"))
                .isInstanceOf(AlknetException.class).hasMessageContaining("unknown option");
        assertThatThrownBy(() -> provider("from=\"10.0.0.0/8 ssh-ed25519 " + b64(ed25519Blob(1)) + "\n"))
                .isInstanceOf(AlknetException.class).hasMessageContaining("unterminated quote");
    }

    @Test
    void missingFileIsAConfigError() {
        assertThatThrownBy(() -> new AuthorizedKeysProviderFactory().create(
                io.alknet.api.plugin.Settings.of("identity.keys.", java.util.Map.of("authorized-keys", dir.resolve("nope").toString())),
                context()))
                .isInstanceOf(AlknetException.class).hasMessageContaining("not found");
    }

    private AuthorizedKeysProvider provider(String content) throws Exception {
        Path file = dir.resolve("authorized_keys");
        Files.writeString(file, content);
        return (AuthorizedKeysProvider) new AuthorizedKeysProviderFactory().create(
                io.alknet.api.plugin.Settings.of("identity.keys.", java.util.Map.of("authorized-keys", file.toString())), context());
    }

    private static io.alknet.api.plugin.PluginContext context() {
        return new io.alknet.api.plugin.PluginContext() {
            @Override
            public Path stateDirectory() {
                return Path.of("/nonexistent");
            }

            @Override
            public Clock clock() {
                return CLOCK;
            }
        };
    }

    private static Identity resolved(IdentityResolution resolution) {
        assertThat(resolution).isInstanceOf(IdentityResolution.Resolved.class);
        return ((IdentityResolution.Resolved) resolution).identity();
    }

    static byte[] ed25519Blob(long seed) {
        byte[] key = new byte[32];
        new Random(seed).nextBytes(key);
        byte[] type = "ssh-ed25519".getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(4 + type.length + 4 + 32).putInt(type.length).put(type).putInt(32).put(key).array();
    }

    private static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static Credential.PublicKey key(byte[] blob, String ip) {
        return new Credential.PublicKey(peer(ip), "alice", "ssh-ed25519", blob, AuthorizedKeysFile.fingerprint(blob));
    }

    private static PeerInfo peer(String ip) {
        return PeerInfo.socket("tcp", SecurityLevel.UNPROTECTED, new InetSocketAddress(ip, 40000), null);
    }

    @SuppressWarnings("unused")
    private static List<String> lines(String text) {
        return text.lines().toList();
    }
}
