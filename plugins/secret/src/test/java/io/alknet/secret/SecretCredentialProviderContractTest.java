package io.alknet.secret;

import io.alknet.api.identity.CredentialProvider;
import io.alknet.api.identity.CredentialSet;
import io.alknet.testkit.contract.CredentialProviderContract;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The default credential provider against the testkit's contract, over a store encrypted by an unlocked service. */
class SecretCredentialProviderContractTest extends CredentialProviderContract {

    @TempDir
    Path dir;

    @Override
    protected CredentialProvider provider() throws Exception {
        SecretService secrets = AlknetVectorsTest.unlocked();
        CredentialStore store = CredentialStore.in(dir);
        for (Map.Entry<String, CredentialSet> entry : configured().entrySet()) {
            store.put(entry.getKey(), entry.getValue(), secrets, 0);
        }
        return new SecretCredentialProvider(secrets, store);
    }

    @Override
    protected Map<String, CredentialSet> configured() {
        Map<String, CredentialSet> sets = new LinkedHashMap<>();
        sets.put("billing-api", new CredentialSet.Bearer("bearer-secret-123"));
        sets.put("backups", new CredentialSet.S3AccessKey("AKIAEXAMPLE", "s3-secret-key-456", Optional.of("session-789")));
        sets.put("idp.example.com", new CredentialSet.OidcToken("access-abc", Optional.of("refresh-def"),
                Optional.of(Instant.parse("2030-01-01T00:00:00Z"))));
        sets.put("legacy", new CredentialSet.Custom("hmac", Map.of("key-id", "k1", "secret", "custom-secret-xyz")));
        return sets;
    }
}
