package io.alknet.storage;

import io.alknet.testkit.PostgresCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

import java.nio.file.Path;

/**
 * A storage on a fresh database of the class's backend. Concrete classes say
 * {@code @ParameterizedClass @EnumSource(Backend.class)}, so each runs on SQLite and on PostgreSQL.
 */
@ExtendWith(PostgresCluster.Extension.class)
abstract class StorageTestBase {

    @Parameter
    Backend backend;

    @TempDir
    Path directory;

    StorageOptions options;
    Storage storage;

    @BeforeEach
    void openStorage() {
        options = backend.newDatabase(directory);
        storage = Storage.open(options);
    }

    @AfterEach
    void closeStorage() {
        if (storage != null) {
            storage.close();
        }
    }
}
