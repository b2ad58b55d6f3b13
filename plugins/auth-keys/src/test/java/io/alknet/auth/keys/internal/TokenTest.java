package io.alknet.auth.keys.internal;

import io.alknet.api.Identity;
import io.alknet.api.identity.AuthToken;
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
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/** Signed tokens (spec ADR-023) resolved by the keys provider: the same identity as the key's SSH login. */
class TokenTest {

    private static final Instant NOW = Instant.parse("2026-11-29T06:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final PeerInfo PEER = PeerInfo.socket("http", SecurityLevel.TLS, new InetSocketAddress("203.0.113.5", 443), null);

    @TempDir
    Path dir;

    @Test
    void aFreshTokenFromAnAuthorizedKeyGivesTheKeysIdentity() throws Exception {
        KeyPair alice = ed25519();
        AuthorizedKeysProvider provider = provider("ssh-ed25519 " + b64(blob(alice)) + " alice@laptop\n");
        AuthToken token = AuthToken.sign(blob(alice), alice.getPrivate(), NOW.minusSeconds(60));

        assertThat(token.encode()).hasSize(139).doesNotContain("=");
        assertThat(AuthToken.parse(token.encode()).fingerprint()).isEqualTo(AuthorizedKeysFile.fingerprint(blob(alice)));
        IdentityResolution viaToken = provider.resolve(new Credential.Token(PEER, "", token.encode()));
        IdentityResolution viaSsh = provider.resolve(new Credential.PublicKey(PEER, "alice", "ssh-ed25519", blob(alice),
                AuthorizedKeysFile.fingerprint(blob(alice))));
        assertThat(viaToken).isInstanceOf(IdentityResolution.Resolved.class).isEqualTo(viaSsh);
        assertThat(((IdentityResolution.Resolved) viaToken).identity().scopes()).containsExactly(Identity.RELAY_CONNECT);
    }

    @Test
    void staleFutureForgedAndForeignTokensAreRefused() throws Exception {
        KeyPair alice = ed25519();
        KeyPair mallory = ed25519();
        AuthorizedKeysProvider provider = provider("ssh-ed25519 " + b64(blob(alice)) + " alice\n");

        assertThat(resolve(provider, AuthToken.sign(blob(alice), alice.getPrivate(), NOW.minusSeconds(301))))
                .isEqualTo(IdentityResolution.rejected("token_expired"));
        assertThat(resolve(provider, AuthToken.sign(blob(alice), alice.getPrivate(), NOW.plusSeconds(301))))
                .isEqualTo(IdentityResolution.rejected("token_expired"));
        assertThat(resolve(provider, AuthToken.sign(blob(alice), alice.getPrivate(), NOW.plusSeconds(299))))
                .isInstanceOf(IdentityResolution.Resolved.class);
        // Mallory signs, naming Alice's key id: the signature does not verify with Alice's key
        AuthToken forged = AuthToken.sign(blob(mallory), mallory.getPrivate(), NOW);
        byte[] raw = Base64.getUrlDecoder().decode(forged.encode());
        System.arraycopy(AuthToken.keyId(blob(alice)), 0, raw, 0, 32);
        assertThat(provider.resolve(new Credential.Token(PEER, "", Base64.getUrlEncoder().withoutPadding().encodeToString(raw))))
                .isEqualTo(IdentityResolution.rejected("token_bad_signature"));
        // a tampered timestamp breaks the signature too
        byte[] tampered = Base64.getUrlDecoder().decode(AuthToken.sign(blob(alice), alice.getPrivate(), NOW).encode());
        tampered[39] ^= 1;
        assertThat(provider.resolve(new Credential.Token(PEER, "", Base64.getUrlEncoder().withoutPadding().encodeToString(tampered))))
                .isEqualTo(IdentityResolution.rejected("token_bad_signature"));
        assertThat(resolve(provider, AuthToken.sign(blob(mallory), mallory.getPrivate(), NOW))).isInstanceOf(IdentityResolution.Unknown.class);
        // not an alknet token at all: unknown, so a provider later in the chain that owns this format may answer
        assertThat(provider.resolve(new Credential.Token(PEER, "", "not a token"))).isEqualTo(IdentityResolution.unknown());
    }

    @Test
    void aKeyLinesOptionsApplyToItsTokensAndTokensCanBeTurnedOff() throws Exception {
        KeyPair alice = ed25519();
        String line = "from=\"10.0.0.0/8\" ssh-ed25519 " + b64(blob(alice)) + " alice\n";
        AuthToken token = AuthToken.sign(blob(alice), alice.getPrivate(), NOW);
        assertThat(resolve(provider(line), token)).isEqualTo(IdentityResolution.rejected("source_not_allowed"));
        Path file = dir.resolve("keys2");
        Files.writeString(file, "ssh-ed25519 " + b64(blob(alice)) + " alice\n");
        AuthorizedKeysProvider noTokens = new AuthorizedKeysProvider(AuthorizedKeysFile.read(file, CLOCK), CLOCK, false, Duration.ofMinutes(5));
        assertThat(resolve(noTokens, token)).isInstanceOf(IdentityResolution.Unknown.class);
    }

    private static IdentityResolution resolve(AuthorizedKeysProvider provider, AuthToken token) {
        return provider.resolve(new Credential.Token(PEER, "", token.encode()));
    }

    private AuthorizedKeysProvider provider(String text) throws Exception {
        Path file = dir.resolve("authorized_keys");
        Files.writeString(file, text);
        return new AuthorizedKeysProvider(AuthorizedKeysFile.read(file, CLOCK), CLOCK);
    }

    private static KeyPair ed25519() throws Exception {
        return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    }

    /** The SSH wire encoding of a JDK Ed25519 public key: its X.509 form ends with the 32 raw bytes. */
    private static byte[] blob(KeyPair pair) {
        byte[] x509 = pair.getPublic().getEncoded();
        byte[] raw = Arrays.copyOfRange(x509, x509.length - 32, x509.length);
        byte[] type = "ssh-ed25519".getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(4 + type.length + 4 + 32).putInt(type.length).put(type).putInt(32).put(raw).array();
    }

    private static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
