package io.alknet.api.call;

import io.alknet.api.Identity;

import java.util.Objects;
import java.util.Set;

/**
 * Who may call an operation: every one of {@code requiredScopes}, and, when {@code requiredScopesAny} is
 * not empty, at least one of those. Calls made by a handler through its {@link OperationEnv} are trusted
 * and skip this check.
 */
public record AccessControl(Set<String> requiredScopes, Set<String> requiredScopesAny) {

    /** Anyone with an authenticated identity. */
    public static final AccessControl AUTHENTICATED = new AccessControl(Set.of(), Set.of());

    public AccessControl {
        requiredScopes = Set.copyOf(requiredScopes);
        requiredScopesAny = Set.copyOf(requiredScopesAny);
    }

    public static AccessControl scopes(String... scopes) {
        return new AccessControl(Set.of(scopes), Set.of());
    }

    public boolean allows(Identity identity) {
        Objects.requireNonNull(identity, "identity");
        return identity.scopes().containsAll(requiredScopes)
                && (requiredScopesAny.isEmpty() || requiredScopesAny.stream().anyMatch(identity.scopes()::contains));
    }
}
