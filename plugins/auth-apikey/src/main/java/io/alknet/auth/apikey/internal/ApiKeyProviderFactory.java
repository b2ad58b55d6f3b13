package io.alknet.auth.apikey.internal;

import io.alknet.auth.apikey.ApiKeyEntry;
import io.alknet.auth.apikey.ApiKeys;
import io.alknet.api.identity.IdentityProvider;
import io.alknet.api.identity.IdentityProviderFactory;
import io.alknet.api.plugin.PluginContext;
import io.alknet.api.plugin.Settings;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Creates an {@link ApiKeyProvider} from {@code identity.apikey.file} (one or more key files,
 * comma-separated). Read again on every reload, so a revoked key stops working at the next reload.
 */
public final class ApiKeyProviderFactory implements IdentityProviderFactory {

    static final Set<String> KEYS = Set.of("file");

    @Override
    public String name() {
        return "apikey";
    }

    @Override
    public IdentityProvider create(Settings settings, PluginContext context) {
        settings.requireOnly(KEYS);
        List<ApiKeyEntry> entries = new ArrayList<>();
        for (String file : settings.list("file")) {
            entries.addAll(ApiKeys.read(Path.of(file)));
        }
        return new ApiKeyProvider(entries, context.clock());
    }
}
