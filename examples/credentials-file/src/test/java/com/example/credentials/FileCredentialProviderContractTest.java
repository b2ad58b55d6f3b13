package com.example.credentials;

import io.alknet.api.identity.CredentialProvider;
import io.alknet.api.identity.CredentialSet;
import io.alknet.api.plugin.Settings;
import io.alknet.testkit.contract.CredentialProviderContract;
import io.alknet.testkit.contract.TestPluginContext;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The file credential provider against alknet's credential provider contract (alknet-testkit). */
class FileCredentialProviderContractTest extends CredentialProviderContract {

    @TempDir
    Path dir;

    @Override
    protected CredentialProvider provider() throws Exception {
        Path tokens = Files.createDirectories(dir.resolve("tokens"));
        for (Map.Entry<String, CredentialSet> entry : configured().entrySet()) {
            Files.writeString(tokens.resolve(entry.getKey() + ".token"), ((CredentialSet.Bearer) entry.getValue()).token() + "\n");
        }
        return new FileCredentialProviderFactory().create(Settings.of("credential.file.", Map.of("directory", tokens.toString())),
                TestPluginContext.in(dir));
    }

    @Override
    protected Map<String, CredentialSet> configured() {
        Map<String, CredentialSet> sets = new LinkedHashMap<>();
        sets.put("github", new CredentialSet.Bearer("ghp_contract0123"));
        sets.put("billing-api", new CredentialSet.Bearer("bearer-secret-456"));
        return sets;
    }
}
