package io.alknet.storage.internal;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.api.identity.IdentityProvider;
import io.alknet.api.identity.IdentityProviderFactory;
import io.alknet.api.plugin.PluginContext;
import io.alknet.api.plugin.SettingSpec;
import io.alknet.api.plugin.Settings;
import io.alknet.storage.StorageOptions;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Creates a {@link StorageIdentityProvider} on the database {@code identity.storage.url} names ({@code alknet serve
 * --storage}), opened and migrated once per process and shared by the providers every reload creates.
 */
public final class StorageIdentityProviderFactory implements IdentityProviderFactory {

    public static final String NAME = "storage";

    static final List<SettingSpec> DECLARED = List.of(
            SettingSpec.string("url", "Accounts and credentials: a SQLite file (created when missing), or "
                            + "jdbc:postgresql://HOST:PORT/DB shared by several servers. Manage with 'alknet account|org|credential'.")
                    .withFlag("--storage").withLabel("FILE|URL").inFile("storage.url"),
            SettingSpec.string("user", "The PostgreSQL user; default: the driver's (the OS user).").inFile("storage.user"),
            SettingSpec.path("password-file", "A file whose first line is the PostgreSQL password; without one, the password "
                    + "comes from " + StorageOptions.PASSWORD_VARIABLE + " if set. Never put it in the URL.").inFile("storage.password_file"),
            SettingSpec.string("identity-id", "What an identity's id is: 'account' (the account's id, one identity per account) "
                    + "or 'credential' (the key's fingerprint or API key prefix, as with --authorized-keys and --api-keys).")
                    .withDefault("account"));

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<List<SettingSpec>> settings() {
        return Optional.of(DECLARED);
    }

    @Override
    public IdentityProvider create(Settings settings, PluginContext context) {
        settings.requireOnly(SettingSpec.names(DECLARED));
        String url = settings.get("url").orElseThrow(() -> new AlknetException(ErrorCode.INVALID_CONFIG, "missing setting '"
                + settings.prefix() + "url' (a SQLite file such as ./state/alknet.db, or jdbc:postgresql://HOST:PORT/DB)"));
        String mode = settings.get("identity-id").orElse("account").toLowerCase(Locale.ROOT);
        StorageIdentityProvider.IdentityId identityId = switch (mode) {
            case "account" -> StorageIdentityProvider.IdentityId.ACCOUNT;
            case "credential" -> StorageIdentityProvider.IdentityId.CREDENTIAL;
            default -> throw new AlknetException(ErrorCode.INVALID_CONFIG, "setting '" + settings.prefix()
                    + "identity-id' must be 'account' or 'credential', not '" + mode + "'");
        };
        StorageOptions options = StorageOptions.of(url, settings.get("user"), settings.get("password-file").map(Path::of), System.getenv());
        return new StorageIdentityProvider(SharedStorages.acquire(options, context.clock()), identityId, context.clock());
    }
}
