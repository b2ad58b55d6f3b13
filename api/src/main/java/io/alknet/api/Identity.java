package io.alknet.api;

import io.alknet.api.policy.ForwardingPolicy;
import io.alknet.api.policy.Quota;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Who the peer of a session is, as an {@link io.alknet.api.identity.IdentityProvider} resolved it.
 * Every credential path (SSH key, certificate, token, API key) yields this same shape.
 *
 * @param id        stable identifier: a key fingerprint ({@code SHA256:…}), an account id or an
 *                  API-key prefix; policy rules and operation ACLs match on it
 * @param name      human label for logs (an authorized_keys comment, a certificate key id); may
 *                  equal {@code id}; never a secret
 * @param scopes    flat permission strings such as {@code relay:connect}
 * @param resources resource lists per kind; empty when unused
 * @param quota     limits the credential itself carries (an authorized key's {@code quota="…"}); the kernel applies
 *                  the stricter of this and the forwarding policy's {@link ForwardingPolicy#quota(Identity)}
 */
public record Identity(String id, String name, Set<String> scopes, Map<String, List<String>> resources, Quota quota) {

    /** The scope every authenticated tunnel user holds unless a provider says otherwise. */
    public static final String RELAY_CONNECT = "relay:connect";

    public Identity {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        if (id.isBlank()) {
            throw new IllegalArgumentException("identity id must not be blank");
        }
        scopes = Set.copyOf(scopes);
        resources = Map.copyOf(resources);
        Objects.requireNonNull(quota, "quota");
    }

    /** An identity whose credential carries no quota. */
    public Identity(String id, String name, Set<String> scopes, Map<String, List<String>> resources) {
        this(id, name, scopes, resources, Quota.NONE);
    }

    /** This identity with {@code limits} as its credential's quota. */
    public Identity withQuota(Quota limits) {
        return new Identity(id, name, scopes, resources, limits);
    }

    public static Identity of(String id, String name, Set<String> scopes) {
        return new Identity(id, name, scopes, Map.of());
    }

    public boolean hasScope(String scope) {
        return scopes.contains(scope);
    }

    /** A short label for log lines: {@code name} with the id when they differ. */
    public String label() {
        return name.equals(id) ? id : name + "(" + id + ")";
    }
}
