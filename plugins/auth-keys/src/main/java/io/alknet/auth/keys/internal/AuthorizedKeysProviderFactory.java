package io.alknet.auth.keys.internal;

import io.alknet.api.identity.AuthToken;
import io.alknet.api.identity.IdentityProvider;
import io.alknet.api.identity.IdentityProviderFactory;
import io.alknet.api.plugin.PluginContext;
import io.alknet.api.plugin.SettingSpec;
import io.alknet.api.plugin.Settings;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Creates an {@link AuthorizedKeysProvider} from {@code identity.keys.authorized-keys} (one or more
 * files, comma-separated) and {@code identity.keys.trusted-user-ca-keys} (CA public keys, one per line, as
 * OpenSSH's {@code TrustedUserCAKeys}). {@code tokens} (default true) lets the same keys sign tokens, valid
 * for {@code token-max-age} (default 300s) either side of the server's clock. Without a file every key is
 * refused.
 */
public final class AuthorizedKeysProviderFactory implements IdentityProviderFactory {

    static final List<SettingSpec> DECLARED = List.of(
            SettingSpec.paths("authorized-keys", "Client public keys allowed to log in, OpenSSH authorized_keys format "
                            + "(ssh-ed25519). The same keys may sign tokens (alknet token). Without it nobody can log in with a key.")
                    .withFlag("--authorized-keys").inFile("auth.authorized_keys"),
            SettingSpec.paths("trusted-user-ca-keys", "Certificate authorities (OpenSSH public keys, one per line) whose user "
                            + "certificates (ssh-keygen -s) may log in, like sshd's TrustedUserCAKeys.")
                    .withFlag("--trusted-user-ca-keys", "--cert-authority").inFile("auth.trusted_user_ca_keys"),
            SettingSpec.bool("tokens", true, "Authorized keys may sign tokens (alknet token).").inFile("auth.tokens"),
            SettingSpec.duration("token-max-age", AuthToken.DEFAULT_MAX_AGE.toSeconds() + "s",
                    "Accepted clock difference for a token, either way.").inFile("auth.token_max_age"));

    @Override
    public String name() {
        return "keys";
    }

    @Override
    public Optional<List<SettingSpec>> settings() {
        return Optional.of(DECLARED);
    }

    @Override
    public IdentityProvider create(Settings settings, PluginContext context) {
        settings.requireOnly(SettingSpec.names(DECLARED));
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
