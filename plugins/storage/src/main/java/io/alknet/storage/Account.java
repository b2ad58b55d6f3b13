package io.alknet.storage;

import java.util.Objects;
import java.util.Set;

/**
 * A person or service that logs in.
 *
 * @param scopes what the account may do itself; its organisations may grant more
 */
public record Account(String id, String email, String displayName, AccessLevel accessLevel, Status status, Set<String> scopes,
                      long createdAt, long updatedAt) {

    /** How much the account may administer. */
    public enum AccessLevel { ADMIN, USER, SERVICE }

    /** Whether it may log in: only {@code ACTIVE} may. */
    public enum Status { ACTIVE, SUSPENDED, DEACTIVATED }

    public Account {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(accessLevel, "accessLevel");
        Objects.requireNonNull(status, "status");
        scopes = Set.copyOf(scopes);
    }

    /** The name for log lines and identities: the display name, else the e-mail address. */
    public String label() {
        return displayName.isBlank() ? email : displayName;
    }
}
