package io.alknet.storage;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An SSH public key an account logs in with (or, planned, a CA that signs its certificates).
 *
 * @param fingerprint   {@code SHA256:} + unpadded base64 of the key blob's SHA-256
 * @param publicKeyData the key as an authorized_keys line's type and base64 (public, not a secret)
 * @param scopes        a narrowing of the account's scopes for logins with this key; empty = the account's
 * @param expiresAt     Unix seconds after which it no longer logs in
 * @param revokedAt     Unix seconds when it was revoked
 */
public record PeerCredential(String id, String ownerId, Type type, String fingerprint, String publicKeyData, String name,
                             Optional<Set<String>> scopes, boolean enabled, Optional<Long> expiresAt, Optional<Long> revokedAt,
                             long createdAt) {

    /** What the credential is. */
    public enum Type { SSH_KEY, CERT_AUTHORITY }

    public PeerCredential {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(ownerId, "ownerId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(publicKeyData, "publicKeyData");
        Objects.requireNonNull(name, "name");
        scopes = scopes.map(Set::copyOf);
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(revokedAt, "revokedAt");
    }
}
