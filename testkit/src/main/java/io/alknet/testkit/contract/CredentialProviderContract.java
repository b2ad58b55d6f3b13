package io.alknet.testkit.contract;

import io.alknet.api.identity.CredentialProvider;
import io.alknet.api.identity.CredentialSet;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every outbound {@link CredentialProvider} must do: hand each configured service exactly its own credential
 * set, answer empty (never throw) for a service it does not know however the name is spelled, keep answering the same
 * after a {@code refresh} when nothing changed, never show a secret in a {@code toString()}, and be thread-safe.
 */
public abstract class CredentialProviderContract {

    /** The provider under test, ready to answer (for a provider that locks: unlocked), configured with {@link #configured()}. */
    protected abstract CredentialProvider provider() throws Exception;

    /** The services the provider was configured with, and their sets: at least two, of different types. */
    protected abstract Map<String, CredentialSet> configured() throws Exception;

    /** The secret values inside a set, which no {@code toString()} may show. */
    protected static List<String> secretsOf(CredentialSet set) {
        List<String> secrets = new ArrayList<>();
        switch (set) {
            case CredentialSet.ApiKey key -> secrets.add(key.token());
            case CredentialSet.Basic basic -> secrets.add(basic.password());
            case CredentialSet.Bearer bearer -> secrets.add(bearer.token());
            case CredentialSet.S3AccessKey s3 -> {
                secrets.add(s3.secretKey());
                s3.sessionToken().ifPresent(secrets::add);
            }
            case CredentialSet.OidcToken oidc -> {
                secrets.add(oidc.accessToken());
                oidc.refreshToken().ifPresent(secrets::add);
            }
            case CredentialSet.Custom custom -> secrets.addAll(custom.params().values());
        }
        return secrets;
    }

    @Test
    void eachConfiguredServiceGetsExactlyItsOwnSet() throws Exception {
        CredentialProvider provider = provider();
        Map<String, CredentialSet> configured = configured();
        assertThat(configured).as("the contract needs at least two configured services").hasSizeGreaterThanOrEqualTo(2);
        for (Map.Entry<String, CredentialSet> entry : configured.entrySet()) {
            assertThat(provider.credentials(entry.getKey())).as("credentials of %s", entry.getKey()).contains(entry.getValue());
        }
    }

    @Test
    void anUnknownServiceGetsNothingHoweverItIsSpelled() throws Exception {
        CredentialProvider provider = provider();
        String known = configured().keySet().iterator().next();
        List<String> strangers = new ArrayList<>(List.of("", " ", "no-such-service", known + "x", "x" + known, known.toUpperCase(java.util.Locale.ROOT)
                .equals(known) ? known.toLowerCase(java.util.Locale.ROOT) : known.toUpperCase(java.util.Locale.ROOT), " " + known, known + "\n",
                "../" + known, "*", "%", "\u0000", "ü".repeat(300), "x".repeat(10_000)));
        strangers.removeIf(configured().keySet()::contains);
        for (String stranger : strangers) {
            assertThat(provider.credentials(stranger)).as("credentials of '%s'", stranger).isEmpty();
        }
    }

    @Test
    void refreshWithoutAChangeAnswersTheSame() throws Exception {
        CredentialProvider provider = provider();
        for (Map.Entry<String, CredentialSet> entry : configured().entrySet()) {
            assertThat(provider.refresh(entry.getKey())).as("refresh of %s", entry.getKey()).isEqualTo(Optional.of(entry.getValue()));
            assertThat(provider.credentials(entry.getKey())).contains(entry.getValue());
        }
        assertThat(provider.refresh("no-such-service")).isEmpty();
    }

    @Test
    void noToStringShowsASecret() throws Exception {
        CredentialProvider provider = provider();
        for (Map.Entry<String, CredentialSet> entry : configured().entrySet()) {
            CredentialSet set = provider.credentials(entry.getKey()).orElseThrow();
            for (String secret : secretsOf(set)) {
                assertThat(set.toString()).as("toString of the set of %s", entry.getKey()).doesNotContain(secret);
                assertThat(provider.toString()).as("toString of the provider").doesNotContain(secret);
            }
        }
    }

    @Test
    void manyThreadsReadTheSameAnswers() throws Exception {
        CredentialProvider provider = provider();
        Map<String, CredentialSet> configured = configured();
        List<Callable<Boolean>> readers = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            readers.add(() -> {
                for (int round = 0; round < 200; round++) {
                    for (Map.Entry<String, CredentialSet> entry : configured.entrySet()) {
                        if (!provider.credentials(entry.getKey()).equals(Optional.of(entry.getValue()))) {
                            return false;
                        }
                    }
                }
                return true;
            });
        }
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Future<Boolean> result : pool.invokeAll(readers)) {
                assertThat(result.get()).as("every read agreed").isTrue();
            }
        }
    }
}
