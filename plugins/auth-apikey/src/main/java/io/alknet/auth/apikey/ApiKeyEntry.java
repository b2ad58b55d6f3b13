package io.alknet.auth.apikey;

import io.alknet.api.policy.Quota;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One API key as stored: never the key itself, only its public prefix and a hash.
 *
 * @param prefix      the key's first {@value ApiKeys#PREFIX_LENGTH} characters ({@code alk_} + 8): public, unique,
 *                    the identity's id
 * @param hash        {@code salted-sha256:<salt hex>:<SHA-256(salt ‖ key) hex>}, or the spec's unsalted
 *                    {@code sha256:<SHA-256(key) hex>}
 * @param scopes      what the key may do, e.g. {@code relay:connect}
 * @param createdAt   when it was made
 * @param expiresAt   when it stops working; empty = never
 * @param description who or what it is for; shown as the identity's name
 * @param quota       limits for the key's identity ({@code quota="channels=4,rate=10MB/s"} in the file); none by default
 */
public record ApiKeyEntry(String prefix, String hash, Set<String> scopes, Instant createdAt, Optional<Instant> expiresAt,
                          String description, Quota quota) {

    public ApiKeyEntry {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(hash, "hash");
        scopes = Set.copyOf(scopes);
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(quota, "quota");
    }

    /** An entry without a quota. */
    public ApiKeyEntry(String prefix, String hash, Set<String> scopes, Instant createdAt, Optional<Instant> expiresAt,
                       String description) {
        this(prefix, hash, scopes, createdAt, expiresAt, description, Quota.NONE);
    }

    public boolean expired(Instant now) {
        return expiresAt.isPresent() && !now.isBefore(expiresAt.get());
    }
}
