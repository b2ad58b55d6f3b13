package io.alknet.storage;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How to open a storage: where, and for PostgreSQL as whom. {@link #toString()} never shows the password.
 *
 * @param url      the database
 * @param user     the PostgreSQL user; empty = the driver's default (the OS user)
 * @param password the PostgreSQL password; empty = none (trust or peer authentication)
 */
public record StorageOptions(StorageUrl url, Optional<String> user, Optional<String> password) {

    /** The environment variable a PostgreSQL password may come from when no password file is named. */
    public static final String PASSWORD_VARIABLE = "ALKNET_STORAGE_PASSWORD";

    public StorageOptions {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
    }

    /** A SQLite file or a PostgreSQL database without credentials. */
    public static StorageOptions of(String url) {
        return new StorageOptions(StorageUrl.parse(url), Optional.empty(), Optional.empty());
    }

    /**
     * The options for {@code url}, with the password read from {@code passwordFile} (its first line) when given, else
     * from {@value #PASSWORD_VARIABLE} in {@code environment}.
     */
    public static StorageOptions of(String url, Optional<String> user, Optional<Path> passwordFile, Map<String, String> environment) {
        Optional<String> password;
        if (passwordFile.isPresent()) {
            try {
                String text = Files.readString(passwordFile.get(), StandardCharsets.UTF_8);
                int end = text.indexOf('\n');
                password = Optional.of((end < 0 ? text : text.substring(0, end)).strip());
            } catch (IOException e) {
                throw new AlknetException(ErrorCode.INVALID_CONFIG, "cannot read the storage password file " + passwordFile.get()
                        + ": " + e.getMessage());
            }
        } else {
            password = Optional.ofNullable(environment.get(PASSWORD_VARIABLE)).filter(value -> !value.isEmpty());
        }
        return new StorageOptions(StorageUrl.parse(url), user.filter(name -> !name.isBlank()), password);
    }

    @Override
    public String toString() {
        return "StorageOptions[" + url + user.map(name -> " user=" + name).orElse("") + (password.isPresent() ? " password=***" : "") + "]";
    }
}
