package io.alknet.storage;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An API key as stored: its public prefix and the SHA-256 of the whole key, never the key.
 *
 * @param prefix the key's first 12 characters ({@code alk_} + 8)
 * @param hash   {@code sha256:<hex>} of the key
 * @param scopes a narrowing of the owner's scopes; empty = the owner's
 */
public record StoredApiKey(String id, String ownerId, String prefix, String hash, String name, Optional<Set<String>> scopes,
                           boolean enabled, Optional<Long> expiresAt, Optional<Long> revokedAt, long createdAt) {

    public StoredApiKey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(ownerId, "ownerId");
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(name, "name");
        scopes = scopes.map(Set::copyOf);
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(revokedAt, "revokedAt");
    }

    @Override
    public String toString() {
        return "StoredApiKey[" + prefix + " owner=" + ownerId + "]";
    }
}
