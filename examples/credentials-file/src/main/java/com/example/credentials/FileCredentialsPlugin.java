package com.example.credentials;

import io.alknet.api.identity.CredentialProviderFactory;
import io.alknet.api.plugin.AlknetPlugin;

import java.util.List;

/** Contributes the {@code file} credential provider. Registered in {@code META-INF/services/io.alknet.api.plugin.AlknetPlugin}. */
public final class FileCredentialsPlugin implements AlknetPlugin {

    @Override
    public String name() {
        return "example-file-credentials";
    }

    @Override
    public List<CredentialProviderFactory> credentialProviders() {
        return List.of(new FileCredentialProviderFactory());
    }
}
