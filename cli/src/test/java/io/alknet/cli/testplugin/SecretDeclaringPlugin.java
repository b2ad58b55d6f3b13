package io.alknet.cli.testplugin;

import io.alknet.api.identity.CredentialProvider;
import io.alknet.api.identity.CredentialProviderFactory;
import io.alknet.api.plugin.AlknetPlugin;
import io.alknet.api.plugin.PluginContext;
import io.alknet.api.plugin.SettingSpec;
import io.alknet.api.plugin.Settings;

import java.util.List;
import java.util.Optional;

/**
 * A plugin on the in-process test class path only (the packaged CLI never sees it): a credential provider declaring a
 * secret whose name no rule would recognise, with a default and a serve flag, so the tests can look for its value.
 */
public final class SecretDeclaringPlugin implements AlknetPlugin {

    /** The secret's default; it must never be printed. */
    public static final String DEFAULT_SECRET = "default-s3cret-0xC0FFEE";

    @Override
    public String name() {
        return "test-secret";
    }

    @Override
    public List<CredentialProviderFactory> credentialProviders() {
        return List.of(new CredentialProviderFactory() {
            @Override
            public String name() {
                return "vault";
            }

            @Override
            public Optional<List<SettingSpec>> settings() {
                return Optional.of(List.of(SettingSpec.string("unlock-phrase", "The phrase that unlocks the test vault, e.g. "
                        + "--vault-unlock open-sesame.").withDefault(DEFAULT_SECRET).asSecret().withFlag("--vault-unlock")));
            }

            @Override
            public CredentialProvider create(Settings settings, PluginContext context) {
                return service -> Optional.empty();
            }
        });
    }
}
