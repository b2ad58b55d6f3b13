package io.alknet.testkit.contract;

import io.alknet.api.Identity;
import io.alknet.api.identity.Credential;
import io.alknet.api.identity.IdentityProvider;
import io.alknet.api.identity.IdentityResolution;
import io.alknet.api.stream.PeerInfo;
import io.alknet.api.transport.SecurityLevel;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link IdentityProvider} must do: resolve the credentials it owns to a stable identity, answer
 * {@code Unknown} for well-formed credentials it does not know so the next provider in the chain may answer, never
 * resolve (nor throw on) garbage of any kind, never put a secret into an identity, and be thread-safe.
 */
public abstract class IdentityProviderContract {

    /** The provider under test, configured to know {@link #knownCredential()}. */
    protected abstract IdentityProvider provider() throws Exception;

    /** A credential the provider resolves. */
    protected abstract Credential knownCredential() throws Exception;

    /** The identity id {@link #knownCredential()} resolves to. */
    protected abstract String expectedIdentityId() throws Exception;

    /** A peer for building credentials: 127.0.0.1 over tcp. */
    protected static PeerInfo peer() {
        return PeerInfo.socket("tcp", SecurityLevel.UNPROTECTED, new InetSocketAddress("127.0.0.1", 40000),
                new InetSocketAddress("127.0.0.1", 2222));
    }

    /** Credentials of every kind that no provider should know. */
    protected List<Credential> strangers() {
        byte[] blob = new byte[51];
        new Random(99).nextBytes(blob);
        return List.of(
                new Credential.PublicKey(peer(), "mallory", "ssh-ed25519", blob, "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"),
                new Credential.Certificate(peer(), "mallory", "ssh-ed25519-cert-v01@openssh.com", blob, "SHA256:BBBB"),
                new Credential.Token(peer(), "mallory", "not-a-token"),
                new Credential.Token(peer(), "mallory", ""),
                new Credential.ApiKey(peer(), "mallory", "alk_nothere_0000000000000000000000000000"),
                new Credential.ApiKey(peer(), "mallory", "x"));
    }

    /**
     * Well-formed credentials that nobody configured for this provider: an Ed25519 key it does not list, a bearer
     * string that is not its format, an API key with an unknown id. Another provider in the chain may own them, so
     * the answer must be {@code Unknown} (a {@code Rejected} would end the chain).
     */
    protected List<Credential> foreigners() {
        byte[] blob = new byte[51];
        new Random(98).nextBytes(blob);
        return List.of(
                new Credential.PublicKey(peer(), "mallory", "ssh-ed25519", blob, "SHA256:CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC"),
                new Credential.Token(peer(), "mallory", "an-opaque-bearer-secret-of-another-provider"),
                new Credential.ApiKey(peer(), "mallory", "alk_nothere_0000000000000000000000000000"));
    }

    @Test
    void answersUnknownForForeignCredentialsSoTheNextProviderMayAnswer() throws Exception {
        IdentityProvider provider = provider();
        for (Credential foreigner : foreigners()) {
            assertThat(provider.resolve(foreigner)).as("resolution of %s", foreigner).isInstanceOf(IdentityResolution.Unknown.class);
        }
    }

    @Test
    void resolvesItsOwnCredentialToAStableIdentity() throws Exception {
        IdentityProvider provider = provider();
        IdentityResolution first = provider.resolve(knownCredential());
        assertThat(first).isInstanceOf(IdentityResolution.Resolved.class);
        Identity identity = ((IdentityResolution.Resolved) first).identity();
        assertThat(identity.id()).isEqualTo(expectedIdentityId());
        assertThat(provider.resolve(knownCredential())).isEqualTo(first);
    }

    @Test
    void answersWithoutThrowingForCredentialsItDoesNotKnow() throws Exception {
        IdentityProvider provider = provider();
        for (Credential stranger : strangers()) {
            IdentityResolution resolution = provider.resolve(stranger);
            assertThat(resolution).as("resolution of %s", stranger).isNotInstanceOf(IdentityResolution.Resolved.class);
        }
    }

    /**
     * The material behind a credential in every spelling a careless provider might copy into an identity: the
     * token or API key itself; for a key or certificate, its encoding (base64 as in authorized_keys, and hex),
     * since an identity names a key by its fingerprint and never carries the key. Override to add spellings.
     */
    protected List<String> secretsBehind(Credential credential) {
        return switch (credential) {
            case Credential.Token token -> List.of(token.token());
            case Credential.ApiKey key -> List.of(key.key());
            case Credential.PublicKey key -> List.of(Base64.getEncoder().encodeToString(key.blob()), HexFormat.of().formatHex(key.blob()));
            case Credential.Certificate certificate -> List.of(Base64.getEncoder().encodeToString(certificate.certificateBlob()),
                    HexFormat.of().formatHex(certificate.certificateBlob()));
        };
    }

    @Test
    void anIdentityNeverCarriesTheSecretThatProvedIt() throws Exception {
        Credential known = knownCredential();
        Identity identity = ((IdentityResolution.Resolved) provider().resolve(known)).identity();
        List<String> secrets = secretsBehind(known).stream().filter(secret -> !secret.isEmpty()).toList();
        assertThat(secrets).as("the material behind %s", known).isNotEmpty();
        List<String> shown = new ArrayList<>(List.of(identity.toString(), identity.id(), identity.name(), identity.label(),
                known.toString(), known.label()));
        shown.addAll(identity.scopes());
        identity.resources().forEach((type, names) -> {
            shown.add(type);
            shown.addAll(names);
        });
        for (String secret : secrets) {
            for (String text : shown) {
                assertThat(text).as("what the identity or the credential shows").doesNotContain(secret);
            }
        }
    }

    @Test
    void resolvesConcurrently() throws Exception {
        IdentityProvider provider = provider();
        Credential known = knownCredential();
        String expected = expectedIdentityId();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                Callable<String> task = () -> ((IdentityResolution.Resolved) provider.resolve(known)).identity().id();
                results.add(pool.submit(task));
            }
            for (Future<String> result : results) {
                assertThat(result.get()).isEqualTo(expected);
            }
        }
    }
}
