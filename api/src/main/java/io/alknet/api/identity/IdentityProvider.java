package io.alknet.api.identity;

/**
 * Resolves credentials to identities. The kernel asks every configured provider in order; the first
 * that answers {@link IdentityResolution.Resolved} or {@link IdentityResolution.Rejected} decides.
 * Each kind of credential is optional: a provider only overrides what it understands.
 *
 * <p>Threading: called concurrently from many sessions, possibly from I/O threads; implementations
 * must be thread-safe and must not block on the network (load data at creation instead). Secrets must
 * be compared in constant time. A provider instance is immutable: a configuration reload creates a new
 * one through its {@link IdentityProviderFactory}, and the kernel closes the old one.
 */
public interface IdentityProvider extends AutoCloseable {

    default IdentityResolution resolve(Credential.PublicKey credential) {
        return IdentityResolution.unknown();
    }

    default IdentityResolution resolve(Credential.Certificate credential) {
        return IdentityResolution.unknown();
    }

    default IdentityResolution resolve(Credential.Token credential) {
        return IdentityResolution.unknown();
    }

    default IdentityResolution resolve(Credential.ApiKey credential) {
        return IdentityResolution.unknown();
    }

    /** Dispatches on the credential's kind. */
    default IdentityResolution resolve(Credential credential) {
        return switch (credential) {
            case Credential.PublicKey key -> resolve(key);
            case Credential.Certificate certificate -> resolve(certificate);
            case Credential.Token token -> resolve(token);
            case Credential.ApiKey apiKey -> resolve(apiKey);
        };
    }

    /** Releases what the provider holds. The default does nothing. */
    @Override
    default void close() {
    }
}
