package io.alknet.policy.rules;

import io.alknet.api.net.Cidr;
import io.alknet.api.policy.ForwardRequest;
import io.alknet.api.policy.ForwardingPolicy;
import io.alknet.api.policy.PolicyDecision;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Ordered allow/deny rules; the first rule whose target, direction, principal and transport all match
 * decides; otherwise the default applies.
 *
 * <p>Link-local and cloud-metadata addresses (where instance credentials live) are protected: a rule
 * only allows them if its target names them by IP or CIDR; {@code *} or a host pattern never does.
 * Immutable and thread-safe.
 */
final class RulesPolicy implements ForwardingPolicy {

    /** Addresses reachable only through an explicit CIDR rule. */
    static final List<Cidr> PROTECTED = List.of(
            Cidr.parse("169.254.0.0/16"), Cidr.parse("fe80::/10"), Cidr.parse("fd00:ec2::254/128"));

    private final List<Rule> rules;
    private final Action defaultAction;
    private final String defaultLabel;

    RulesPolicy(List<Rule> rules, Action defaultAction, String defaultLabel) {
        this.rules = List.copyOf(rules);
        this.defaultAction = Objects.requireNonNull(defaultAction, "defaultAction");
        this.defaultLabel = Objects.requireNonNull(defaultLabel, "defaultLabel");
    }

    static RulesPolicy builtInDefault() {
        return new RulesPolicy(List.of(), Action.ALLOW, "default");
    }

    @Override
    public PolicyDecision decide(ForwardRequest request) {
        Optional<InetAddress> address = request.address().or(() -> literal(request.host()));
        boolean isProtected = address.isPresent() && PROTECTED.stream().anyMatch(c -> c.contains(address.get()));
        for (Rule rule : rules) {
            if (!rule.appliesTo(request.identity(), request.direction(), request.transport(), request.protocol())
                    || !rule.target().matches(request.host(), request.port(), address)) {
                continue;
            }
            if (rule.action() == Action.DENY) {
                return PolicyDecision.deny(rule.label(), "denied by rule");
            }
            if (isProtected && !rule.target().explicitlyCovers(address.get(), request.port())) {
                continue; // a broad allow never opens link-local or metadata addresses
            }
            return PolicyDecision.allow(rule.label());
        }
        if (isProtected) {
            return PolicyDecision.deny("protected-addresses",
                    "link-local or cloud-metadata address; allow it with an explicit CIDR rule");
        }
        return defaultAction == Action.ALLOW
                ? PolicyDecision.allow(defaultLabel)
                : PolicyDecision.deny(defaultLabel, "no rule matches");
    }

    private static Optional<InetAddress> literal(String host) {
        if (!Cidr.isIpLiteral(host)) {
            return Optional.empty();
        }
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        return Optional.of(InetAddress.ofLiteral(bare));
    }

    List<Rule> rules() {
        return rules;
    }
}
