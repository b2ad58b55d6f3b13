package io.alknet.auth.keys;

import io.alknet.api.Identity;
import io.alknet.api.identity.Credential;
import io.alknet.api.identity.IdentityProvider;
import io.alknet.api.identity.IdentityResolution;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Resolves SSH public keys listed in {@code authorized_keys}. The identity id is the key's
 * {@code SHA256:} fingerprint, its name the line's comment, its scopes {@code relay:connect} unless the
 * line says {@code no-port-forwarding} or {@code restrict}. Immutable; every key is compared in constant
 * time against every entry. {@code cert-authority} lines never authenticate a plain key.
 */
final class AuthorizedKeysProvider implements IdentityProvider {

    private final List<AuthorizedKey> keys;
    private final Clock clock;

    AuthorizedKeysProvider(List<AuthorizedKey> keys, Clock clock) {
        this.keys = List.copyOf(keys);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public IdentityResolution resolve(Credential.PublicKey credential) {
        if (!AuthorizedKeysFile.ED25519.equals(credential.keyType())) {
            return IdentityResolution.rejected("key_type_not_allowed");
        }
        byte[] blob = credential.blob();
        AuthorizedKey match = null;
        for (AuthorizedKey key : keys) {
            // no early exit: the time taken does not depend on which entry matches
            if (key.sameKey(blob) & !key.certAuthority() & match == null) {
                match = key;
            }
        }
        if (match == null) {
            return IdentityResolution.unknown();
        }
        if (match.expiresAt().isPresent() && !clock.instant().isBefore(match.expiresAt().get())) {
            return IdentityResolution.rejected("key_expired");
        }
        if (!match.from().isEmpty() && !SourcePatterns.matches(match.from(), address(credential))) {
            return IdentityResolution.rejected("source_not_allowed");
        }
        Set<String> scopes = match.portForwarding() ? Set.of(Identity.RELAY_CONNECT) : Set.of();
        String name = match.comment().isBlank() ? match.fingerprint() : match.comment();
        return IdentityResolution.resolved(Identity.of(match.fingerprint(), name, scopes));
    }

    private static Optional<InetAddress> address(Credential credential) {
        return credential.peer().remoteAddress()
                .filter(InetSocketAddress.class::isInstance)
                .map(a -> ((InetSocketAddress) a).getAddress());
    }

    /** The number of keys that can log in, for logs and tests. */
    int loginKeys() {
        return (int) keys.stream().filter(k -> !k.certAuthority()).count();
    }
}
