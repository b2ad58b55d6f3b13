package io.alknet.storage;

import io.alknet.testkit.PostgresCluster;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Path;
import java.util.Optional;

/** The databases every storage test runs on: the same test class, once per backend. */
enum Backend {
    SQLITE {
        @Override
        StorageOptions newDatabase(Path directory) {
            return StorageOptions.of(directory.resolve("state").resolve("alknet.db").toString());
        }
    },
    POSTGRESQL {
        @Override
        StorageOptions newDatabase(Path directory) {
            Assumptions.assumeTrue(PostgresCluster.binaries().isPresent(), "PostgreSQL tests skipped: initdb and pg_ctl not found "
                    + "(install Debian's postgresql package; .ci/prepare.sh does)");
            return new StorageOptions(StorageUrl.parse(PostgresCluster.current().newDatabase()), Optional.of(PostgresCluster.USER),
                    Optional.of(PostgresCluster.PASSWORD));
        }
    };

    /** A new, empty database for one test. */
    abstract StorageOptions newDatabase(Path directory);
}
