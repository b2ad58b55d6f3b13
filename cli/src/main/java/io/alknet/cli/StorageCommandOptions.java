package io.alknet.cli;

import io.alknet.storage.Storage;
import io.alknet.storage.StorageOptions;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Optional;

/** Where the account commands find the storage: the same database {@code alknet serve --storage} uses. */
final class StorageCommandOptions {

    static final String VARIABLE = "ALKNET_STORAGE";

    @Option(names = "--storage", paramLabel = "FILE|URL", description = {"The server's storage: a SQLite file or "
            + "jdbc:postgresql://HOST:PORT/DB (default: $" + VARIABLE + ")."})
    String url;

    @Option(names = "--storage-user", paramLabel = "USER", description = "The PostgreSQL user.")
    String user;

    @Option(names = "--storage-password-file", paramLabel = "FILE",
            description = "A file whose first line is the PostgreSQL password (default: $" + StorageOptions.PASSWORD_VARIABLE + ").")
    Path passwordFile;

    /** Opens (and migrates) the storage; the caller closes it. */
    Storage open() {
        String where = url != null ? url : System.getenv(VARIABLE);
        if (where == null || where.isBlank()) {
            throw new io.alknet.api.AlknetException(io.alknet.api.ErrorCode.INVALID_ARGUMENT,
                    "no storage given: pass --storage FILE|URL (the server's --storage) or set " + VARIABLE);
        }
        return Storage.open(StorageOptions.of(where, Optional.ofNullable(user), Optional.ofNullable(passwordFile), System.getenv()));
    }
}
