package io.alknet.auth.keys;

import io.alknet.api.identity.IdentityProvider;
import io.alknet.api.identity.IdentityProviderFactory;
import io.alknet.api.plugin.PluginContext;
import io.alknet.api.plugin.Settings;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Creates an {@link AuthorizedKeysProvider} from {@code identity.keys.authorized-keys} (one or more
 * files, comma-separated). Without a file every key is refused.
 */
public final class AuthorizedKeysProviderFactory implements IdentityProviderFactory {

    static final Set<String> KEYS = Set.of("authorized-keys");

    @Override
    public String name() {
        return "keys";
    }

    @Override
    public IdentityProvider create(Settings settings, PluginContext context) {
        settings.requireOnly(KEYS);
        List<AuthorizedKey> keys = new ArrayList<>();
        for (String file : settings.list("authorized-keys")) {
            keys.addAll(AuthorizedKeysFile.read(Path.of(file), context.clock()));
        }
        return new AuthorizedKeysProvider(keys, context.clock());
    }
}
