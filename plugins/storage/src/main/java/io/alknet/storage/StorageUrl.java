package io.alknet.storage;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the storage lives: a SQLite file (a plain path, or {@code jdbc:sqlite:PATH}) or a PostgreSQL database
 * ({@code jdbc:postgresql://HOST:PORT/DB}). A password never goes into the URL: it comes from a file or an
 * environment variable ({@link StorageOptions}), so the URL can be logged as it is.
 *
 * @param jdbcUrl the JDBC URL to connect to
 * @param vendor  which database it is
 */
public record StorageUrl(String jdbcUrl, Vendor vendor) {

    /** The databases storage runs on. */
    public enum Vendor {
        /** Embedded, one file; the default. Flyway's vendor name {@code sqlite}. */
        SQLITE("sqlite"),
        /** A server that several alknet servers share. Flyway's vendor name {@code postgresql}. */
        POSTGRESQL("postgresql");

        private final String flywayName;

        Vendor(String flywayName) {
            this.flywayName = flywayName;
        }

        /** The folder name of this vendor's own migrations, {@code db/migration/<name>}. */
        public String flywayName() {
            return flywayName;
        }
    }

    public StorageUrl {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(vendor, "vendor");
    }

    /**
     * Reads {@code text}: a {@code jdbc:postgresql:} or {@code jdbc:sqlite:} URL, or else a path to a SQLite file.
     *
     * @throws AlknetException {@code INVALID_CONFIG} for an empty value, another JDBC URL, or a PostgreSQL URL that
     *                         carries a password
     */
    public static StorageUrl parse(String text) {
        String value = Objects.requireNonNull(text, "text").strip();
        if (value.isEmpty()) {
            throw new AlknetException(ErrorCode.INVALID_CONFIG, "the storage URL is empty; give a file such as ./state/alknet.db "
                    + "or jdbc:postgresql://HOST:5432/DB");
        }
        if (value.startsWith("jdbc:postgresql:")) {
            if (value.toLowerCase(java.util.Locale.ROOT).contains("password=")) {
                throw new AlknetException(ErrorCode.INVALID_CONFIG, "the storage URL must not carry a password (it would be logged);"
                        + " put it in a file named by identity.storage.password-file or in ALKNET_STORAGE_PASSWORD");
            }
            return new StorageUrl(value, Vendor.POSTGRESQL);
        }
        if (value.startsWith("jdbc:sqlite:")) {
            return new StorageUrl(value, Vendor.SQLITE);
        }
        if (value.startsWith("jdbc:")) {
            throw new AlknetException(ErrorCode.INVALID_CONFIG, "unsupported storage URL '" + value
                    + "': use a SQLite file path (or jdbc:sqlite:PATH) or jdbc:postgresql://HOST:PORT/DB");
        }
        return new StorageUrl("jdbc:sqlite:" + Path.of(value).toAbsolutePath().normalize(), Vendor.SQLITE);
    }

    /** The SQLite file, for a SQLite URL. */
    public Path sqliteFile() {
        if (vendor != Vendor.SQLITE) {
            throw new IllegalStateException("not a SQLite URL: " + jdbcUrl);
        }
        String path = jdbcUrl.substring("jdbc:sqlite:".length());
        int query = path.indexOf('?');
        return Path.of(query < 0 ? path : path.substring(0, query));
    }

    @Override
    public String toString() {
        return jdbcUrl;
    }
}
