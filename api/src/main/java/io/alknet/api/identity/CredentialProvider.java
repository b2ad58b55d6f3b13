package io.alknet.api.identity;

import java.util.Optional;

/**
 * Hands out the credentials alknet presents to a named service (outbound auth). Independent of
 * {@link IdentityProvider}.
 *
 * <p>Threading: thread-safe; may block briefly (it may decrypt), so call it from a virtual thread, never
 * from an I/O thread.
 */
public interface CredentialProvider {

    /** The credentials for {@code service}, or empty when none are configured. */
    Optional<CredentialSet> credentials(String service);

    /** Re-reads or renews the credentials for {@code service}; the default returns the current ones. */
    default Optional<CredentialSet> refresh(String service) {
        return credentials(service);
    }
}
