package io.alknet.auth.keys.internal;

import io.alknet.api.identity.AuthToken;
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
 * files, comma-separated) and {@code identity.keys.trusted-user-ca-keys} (CA public keys, one per line, as
 * OpenSSH's {@code TrustedUserCAKeys}). {@code tokens} (default true) lets the same keys sign tokens, valid
 * for {@code token-max-age} (default 300s) either side of the server's clock. Without a file every key is
 * refused.
 */
public final class AuthorizedKeysProviderFactory implements IdentityProviderFactory {

    static final Set<String> KEYS = Set.of("authorized-keys", "trusted-user-ca-keys", "tokens", "token-max-age");

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
        for (String file : settings.list("trusted-user-ca-keys")) {
            keys.addAll(AuthorizedKeysFile.read(Path.of(file), context.clock(), true));
        }
        return new AuthorizedKeysProvider(keys, context.clock(), settings.bool("tokens", true),
                settings.duration("token-max-age", AuthToken.DEFAULT_MAX_AGE));
    }
}
