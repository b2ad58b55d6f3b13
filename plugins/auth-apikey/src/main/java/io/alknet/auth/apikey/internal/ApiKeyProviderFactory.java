package io.alknet.auth.apikey.internal;

import io.alknet.api.identity.IdentityProvider;
import io.alknet.api.identity.IdentityProviderFactory;
import io.alknet.api.plugin.PluginContext;
import io.alknet.api.plugin.SettingSpec;
import io.alknet.api.plugin.Settings;
import io.alknet.auth.apikey.ApiKeyEntry;
import io.alknet.auth.apikey.ApiKeys;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Creates an {@link ApiKeyProvider} from {@code identity.apikey.file} (one or more key files,
 * comma-separated). Read again on every reload, so a revoked key stops working at the next reload.
 */
public final class ApiKeyProviderFactory implements IdentityProviderFactory {

    static final List<SettingSpec> DECLARED = List.of(
            SettingSpec.paths("file", "API key file (hashes only), managed with 'alknet apikey create|list|revoke --file FILE'.")
                    .withFlag("--api-keys").inFile("auth.api_keys"));

    @Override
    public String name() {
        return "apikey";
    }

    @Override
    public Optional<List<SettingSpec>> settings() {
        return Optional.of(DECLARED);
    }

    @Override
    public IdentityProvider create(Settings settings, PluginContext context) {
        settings.requireOnly(SettingSpec.names(DECLARED));
        List<ApiKeyEntry> entries = new ArrayList<>();
        for (String file : settings.list("file")) {
            entries.addAll(ApiKeys.read(Path.of(file)));
        }
        return new ApiKeyProvider(entries, context.clock());
    }
}
