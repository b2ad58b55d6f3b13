package com.example.credentials;

import io.alknet.api.identity.CredentialProvider;
import io.alknet.api.identity.CredentialSet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Bearer tokens for outbound services, read from {@code DIRECTORY/SERVICE.token} on every request, so a rotated token
 * is used at once. A service name is lower-case letters, digits and dashes: nothing else can name a file outside the
 * directory.
 *
 * <p>Threading: thread-safe; reads a small file, so handlers (on virtual threads) may call it, I/O threads not.
 */
final class FileCredentialProvider implements CredentialProvider {

    private static final Pattern SERVICE = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    private final Optional<Path> directory;

    FileCredentialProvider(Optional<Path> directory) {
        this.directory = directory;
    }

    @Override
    public Optional<CredentialSet> credentials(String service) {
        if (directory.isEmpty() || !SERVICE.matcher(service).matches()) {
            return Optional.empty();
        }
        try {
            String token = Files.readString(directory.get().resolve(service + ".token"), StandardCharsets.UTF_8).lines()
                    .findFirst().map(String::strip).orElse("");
            return token.isEmpty() ? Optional.empty() : Optional.of(new CredentialSet.Bearer(token));
        } catch (NoSuchFileException unknownService) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the credentials of " + service, e);
        }
    }
}
