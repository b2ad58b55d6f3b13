package io.alknet.policy.rules.internal;

import io.alknet.api.Identity;
import io.alknet.api.policy.Direction;
import io.alknet.api.policy.Protocol;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One policy rule.
 *
 * @param action     allow or deny
 * @param target     the destinations it covers
 * @param directions the directions it covers; empty = both
 * @param principals identity ids, names or scopes it covers; empty = everyone
 * @param transports transport kinds ({@code tcp}, {@code tls}, {@code iroh}) it covers; empty = all
 * @param protocols  forwarded protocols (TCP streams, UDP datagrams) it covers; empty = both
 * @param label      how logs name the rule: its {@code name=} or {@code file:line}
 */
record Rule(Action action, Target target, Set<Direction> directions, List<String> principals, Set<String> transports,
            Set<Protocol> protocols, String label) {

    Rule {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(target, "target");
        directions = Set.copyOf(directions);
        principals = List.copyOf(principals);
        transports = Set.copyOf(transports);
        protocols = Set.copyOf(protocols);
        Objects.requireNonNull(label, "label");
    }

    boolean appliesTo(Identity identity, Direction direction, String transport, Protocol protocol) {
        return (directions.isEmpty() || directions.contains(direction))
                && (protocols.isEmpty() || protocols.contains(protocol))
                && (transports.isEmpty() || transports.contains(transport))
                && (principals.isEmpty() || principals.stream().anyMatch(p -> matchesPrincipal(p, identity)));
    }

    static boolean matchesPrincipal(String principal, Identity identity) {
        return principal.equals("*") || principal.equals(identity.id()) || principal.equals(identity.name())
                || identity.hasScope(principal);
    }
}
