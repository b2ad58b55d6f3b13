package io.alknet.api.identity;

import io.alknet.api.Identity;

import java.util.Objects;

/**
 * What an {@link IdentityProvider} says of a credential.
 */
public sealed interface IdentityResolution {

    /** The credential is valid and names {@code identity}. */
    record Resolved(Identity identity) implements IdentityResolution {
        public Resolved {
            Objects.requireNonNull(identity, "identity");
        }
    }

    /**
     * The provider knows the credential and refuses it definitely (expired, revoked, wrong principal).
     * The chain stops here.
     *
     * @param reason a stable, grep-able reason code such as {@code expired} or {@code principal_mismatch};
     *               it appears in the fail2ban log line, so it must never contain a secret
     */
    record Rejected(String reason) implements IdentityResolution {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** The provider does not know this credential; the next provider in the chain is asked. */
    record Unknown() implements IdentityResolution {
    }

    static IdentityResolution resolved(Identity identity) {
        return new Resolved(identity);
    }

    static IdentityResolution rejected(String reason) {
        return new Rejected(reason);
    }

    static IdentityResolution unknown() {
        return new Unknown();
    }
}
