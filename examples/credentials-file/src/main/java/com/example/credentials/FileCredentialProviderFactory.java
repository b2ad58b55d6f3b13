package com.example.credentials;

import io.alknet.api.identity.CredentialProvider;
import io.alknet.api.identity.CredentialProviderFactory;
import io.alknet.api.plugin.PluginContext;
import io.alknet.api.plugin.SettingSpec;
import io.alknet.api.plugin.Settings;

import java.util.List;
import java.util.Optional;

/** Creates {@link FileCredentialProvider}s from {@code credential.file.directory}. */
public final class FileCredentialProviderFactory implements CredentialProviderFactory {

    static final SettingSpec DIRECTORY = SettingSpec.path("directory",
            "A directory holding one file per service, SERVICE.token, whose first line is the bearer token alknet presents "
                    + "to it. Without it the provider has no credentials.");

    @Override
    public String name() {
        return "file";
    }

    @Override
    public Optional<List<SettingSpec>> settings() {
        return Optional.of(List.of(DIRECTORY));
    }

    @Override
    public CredentialProvider create(Settings settings, PluginContext context) {
        settings.requireOnly(SettingSpec.names(List.of(DIRECTORY)));
        return new FileCredentialProvider(settings.path(DIRECTORY.name()));
    }
}
