package io.alknet.api.policy;

import java.util.Objects;

/**
 * The answer to a {@link ForwardRequest}.
 *
 * @param allowed whether the forward may proceed
 * @param rule    which rule decided, as operators name it ({@code policy.rules:7}, {@code default}); never
 *                the destination
 * @param reason  a short reason for logs and for the peer ({@code denied by rule}, {@code link-local
 *                address}); never the destination
 */
public record PolicyDecision(boolean allowed, String rule, String reason) {

    public PolicyDecision {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(reason, "reason");
    }

    public static PolicyDecision allow(String rule) {
        return new PolicyDecision(true, rule, "allowed");
    }

    public static PolicyDecision deny(String rule, String reason) {
        return new PolicyDecision(false, rule, reason);
    }
}
