package io.alknet.storage;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Path;

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
            return PostgresCluster.current().newDatabase();
        }
    };

    /** A new, empty database for one test. */
    abstract StorageOptions newDatabase(Path directory);
}
