package io.alknet.api.identity;

import java.util.Optional;

/**
 * Hands out the credentials alknet presents to a named service (outbound auth). Independent of
 * {@link IdentityProvider}. Created by a {@link CredentialProviderFactory}; handlers reach it through
 * {@link io.alknet.api.call.OperationEnv#credentials(String)}.
 *
 * <p>Threading: thread-safe; may block briefly (it may decrypt), so call it from a virtual thread, never
 * from an I/O thread. Owner: the kernel, which calls {@link #close()} when the server or client stops.
 */
public interface CredentialProvider extends AutoCloseable {

    /** The credentials for {@code service}, or empty when none are configured. */
    Optional<CredentialSet> credentials(String service);

    /** Re-reads or renews the credentials for {@code service}; the default returns the current ones. */
    default Optional<CredentialSet> refresh(String service) {
        return credentials(service);
    }

    /** Releases what the provider holds; the default holds nothing. Idempotent. */
    @Override
    default void close() {
    }
}
