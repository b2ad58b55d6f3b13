package io.alknet.storage;

import java.util.Map;
import java.util.Optional;

/**
 * One row of the audit log: what happened ({@code credential.revoked}, {@code auth.refused}, …), to whom, and when.
 */
public record AuditEntry(String id, String action, Optional<String> ownerId, Optional<String> credentialId,
                         Optional<String> credentialType, Optional<String> orgId, Map<String, Object> details, long createdAt) {

    public AuditEntry {
        details = Map.copyOf(details);
    }
}
