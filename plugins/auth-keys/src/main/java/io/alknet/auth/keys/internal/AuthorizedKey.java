package io.alknet.auth.keys.internal;

import io.alknet.api.policy.Quota;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One usable line of an {@code authorized_keys} file.
 *
 * @param keyType          the SSH key type, {@code ssh-ed25519}
 * @param blob             the SSH wire encoding of the key
 * @param fingerprint      {@code SHA256:…}
 * @param comment          the line's comment, used as the identity's name
 * @param certAuthority    a {@code cert-authority} line: trusted to sign certificates, never to log in itself
 * @param principals       {@code principals="…"} of a CA line
 * @param from             {@code from="…"} source restrictions; empty = anywhere
 * @param portForwarding   false when {@code no-port-forwarding} or {@code restrict} is set
 * @param expiresAt        {@code expiry-time="…"}
 * @param requireForwardingExtension a CA line with {@code permit-port-forwarding}: its certificates must carry
 *                         that extension
 * @param scopes           alknet's {@code scopes="…"}: extra scopes for operation access
 * @param irohEndpoints    alknet's {@code iroh-endpoint="…"}: the key logs in only over iroh from one of these endpoint
 *                         ids (canonical lower-case hex); empty = any transport
 * @param quota            alknet's {@code quota="…"}: limits for the identity (for a CA line: for each certificate's identity)
 * @param source           {@code file:line} for messages
 */
record AuthorizedKey(
        String keyType, byte[] blob, String fingerprint, String comment, boolean certAuthority,
        List<String> principals, List<String> from, boolean portForwarding, Optional<Instant> expiresAt,
        boolean requireForwardingExtension, List<String> scopes, List<String> irohEndpoints, Quota quota, String source) {

    AuthorizedKey {
        Objects.requireNonNull(keyType, "keyType");
        blob = blob.clone();
        principals = List.copyOf(principals);
        Objects.requireNonNull(expiresAt, "expiresAt");
        from = List.copyOf(from);
        scopes = List.copyOf(scopes);
        irohEndpoints = List.copyOf(irohEndpoints);
        Objects.requireNonNull(quota, "quota");
    }

    @Override
    public byte[] blob() {
        return blob.clone();
    }

    boolean sameKey(byte[] other) {
        return java.security.MessageDigest.isEqual(blob, other);
    }

    /** The same key, trusted as a certificate authority (a {@code TrustedUserCAKeys} line). */
    AuthorizedKey asCertAuthority() {
        return new AuthorizedKey(keyType, blob, fingerprint, comment, true, principals, from, portForwarding, expiresAt,
                requireForwardingExtension, scopes, irohEndpoints, quota, source);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AuthorizedKey that && Arrays.equals(blob, that.blob) && source.equals(that.source);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(blob);
    }
}
