package io.alknet.storage;

import java.util.Objects;
import java.util.Set;

/**
 * A group of accounts.
 *
 * @param scopes what every member may do by being a member
 */
public record Organization(String id, String name, String slug, String ownerId, Set<String> scopes, long createdAt) {

    /** A member's standing in an organisation. */
    public enum MembershipLevel { OWNER, ADMIN, MEMBER }

    public Organization {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(slug, "slug");
        Objects.requireNonNull(ownerId, "ownerId");
        scopes = Set.copyOf(scopes);
    }
}
