package io.alknet.kernel.internal;

import io.alknet.api.identity.CredentialProvider;
import io.alknet.api.identity.CredentialSet;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The plugins' credential providers as one: the first with an answer wins; one that cannot answer blocks no other. */
class CredentialProvidersTest {

    private static CredentialProvider serving(Map<String, CredentialSet> sets) {
        return service -> Optional.ofNullable(sets.get(service));
    }

    private static final CredentialProvider LOCKED = service -> {
        throw new IllegalStateException("locked");
    };

    @Test
    void theFirstProviderWithCredentialsAnswers() {
        CredentialProviders providers = new CredentialProviders(List.of(
                serving(Map.of("github", new CredentialSet.Bearer("first"))),
                serving(Map.of("github", new CredentialSet.Bearer("second"), "s3", new CredentialSet.Bearer("s3")))));
        assertThat(providers.credentials("github")).contains(new CredentialSet.Bearer("first"));
        assertThat(providers.credentials("s3")).contains(new CredentialSet.Bearer("s3"));
        assertThat(providers.refresh("s3")).contains(new CredentialSet.Bearer("s3"));
        assertThat(providers.credentials("gitlab")).isEmpty();
    }

    @Test
    void aProviderThatCannotAnswerFailsOnlyWhenNoOtherAnswers() {
        CredentialProviders providers = new CredentialProviders(List.of(LOCKED, serving(Map.of("github", new CredentialSet.Bearer("t")))));
        assertThat(providers.credentials("github")).contains(new CredentialSet.Bearer("t"));
        assertThatThrownBy(() -> providers.credentials("billing-api")).isInstanceOf(IllegalStateException.class).hasMessage("locked");
    }
}
