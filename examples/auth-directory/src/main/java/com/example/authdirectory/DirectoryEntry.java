package com.example.authdirectory;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One account of a directory file.
 *
 * @param uid          the account id: the identity's id, which policy rules and operation ACLs match on
 * @param name         a display name for logs; the uid when the line gives none
 * @param scopes       the identity's scopes, e.g. {@code relay:connect}, {@code greeter:use}
 * @param keys         SSH key fingerprints ({@code SHA256:} + 43 characters of unpadded base64)
 * @param secretHashes SHA-256 hashes (32 bytes each) of the bearer secrets (tokens, API keys) of the account
 * @param expires      when the account stops working; empty = never
 * @param disabled     true when {@code status=disabled}: the account is known, and refused
 * @param source       {@code file:line}, for messages
 */
record DirectoryEntry(String uid, String name, Set<String> scopes, List<String> keys, List<byte[]> secretHashes,
                      Optional<Instant> expires, boolean disabled, String source) {

    DirectoryEntry {
        Objects.requireNonNull(uid, "uid");
        Objects.requireNonNull(name, "name");
        scopes = Set.copyOf(scopes);
        keys = List.copyOf(keys);
        secretHashes = secretHashes.stream().map(byte[]::clone).toList();
        Objects.requireNonNull(expires, "expires");
        Objects.requireNonNull(source, "source");
    }

    /** Never shows the hashes: they are not secrets, but there is no reason to print them. */
    @Override
    public String toString() {
        return "DirectoryEntry[uid=" + uid + ", name=" + name + ", scopes=" + scopes + ", keys=" + keys
                + ", secrets=" + secretHashes.size() + ", expires=" + expires + ", disabled=" + disabled + ", " + source + "]";
    }
}
