package io.alknet.policy.rules.internal;

import io.alknet.api.Identity;
import io.alknet.api.policy.Quota;

import java.util.List;
import java.util.Objects;

/**
 * A {@code quota} line: limits for the identities it names.
 *
 * @param principals identity ids, names or scopes it covers; empty = everyone
 * @param quota      the limits
 * @param label      how logs name the line: its {@code name=} or {@code file:line}
 */
record QuotaRule(List<String> principals, Quota quota, String label) {

    QuotaRule {
        principals = List.copyOf(principals);
        Objects.requireNonNull(quota, "quota");
        Objects.requireNonNull(label, "label");
    }

    boolean appliesTo(Identity identity) {
        return principals.isEmpty() || principals.stream().anyMatch(p -> Rule.matchesPrincipal(p, identity));
    }
}
