package io.alknet.policy.rules.internal;

import io.alknet.api.AlknetException;
import io.alknet.api.Identity;
import io.alknet.api.call.ControlChannel;
import io.alknet.api.net.Cidr;
import io.alknet.api.net.TargetHost;
import io.alknet.api.policy.Direction;
import io.alknet.api.policy.ForwardRequest;
import io.alknet.api.policy.ForwardingPolicy;
import io.alknet.api.policy.PolicyDecision;
import io.alknet.api.policy.Quota;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Ordered allow/deny rules; the first rule whose target, direction, principal and transport all match
 * decides; otherwise the default applies.
 *
 * <p>Some requests are protected: a rule only allows them if its target names them explicitly, never
 * {@code *}, a host pattern or the default:
 * <ul>
 * <li>link-local and cloud-metadata addresses (where instance credentials live): a CIDR or IP target;</li>
 * <li>the unspecified addresses {@code 0.0.0.0/8} and {@code ::} as a destination: connecting to one
 *     reaches the server itself, so they are also denied by every rule that denies loopback;</li>
 * <li>listening on a port below 1024 (like sshd, where only root may): a target that lists the port.</li>
 * </ul>
 * A host name that was not resolved here (a server-side proxy resolves it) cannot be checked against a
 * CIDR rule: a CIDR deny rule whose ports match denies it rather than let a name slip past it.
 * Immutable and thread-safe.
 */
final class RulesPolicy implements ForwardingPolicy {

    /** Addresses reachable only through an explicit CIDR rule. */
    static final List<Cidr> PROTECTED = List.of(
            Cidr.parse("169.254.0.0/16"), Cidr.parse("fe80::/10"), Cidr.parse("fd00:ec2::254/128"));

    /** Listening below this port needs a rule that names the port. */
    static final int FIRST_UNPRIVILEGED_PORT = 1024;

    private final List<Rule> rules;
    private final Action defaultAction;
    private final String defaultLabel;
    private final List<QuotaRule> quotas;

    RulesPolicy(List<Rule> rules, Action defaultAction, String defaultLabel, List<QuotaRule> quotas) {
        this.rules = List.copyOf(rules);
        this.quotas = List.copyOf(quotas);
        this.defaultAction = Objects.requireNonNull(defaultAction, "defaultAction");
        this.defaultLabel = Objects.requireNonNull(defaultLabel, "defaultLabel");
    }

    static RulesPolicy builtInDefault() {
        return new RulesPolicy(List.of(), Action.ALLOW, "default", List.of());
    }

    @Override
    public PolicyDecision decide(ForwardRequest request) {
        Optional<InetAddress> address;
        try {
            address = request.address().or(() -> TargetHost.literal(request.host()));
        } catch (AlknetException e) {
            return PolicyDecision.deny("target-syntax", e.getMessage());
        }
        Protection protection = protection(request, address);
        boolean unresolvedName = address.isEmpty() && !ControlChannel.isReserved(request.host());
        for (Rule rule : rules) {
            if (!rule.appliesTo(request.identity(), request.direction(), request.transport(), request.protocol())) {
                continue;
            }
            if (!rule.target().matches(request.host(), request.port(), address)) {
                if (unresolvedName && rule.action() == Action.DENY && rule.target() instanceof Target.Network network
                        && network.coversPort(request.port())) {
                    return PolicyDecision.deny(rule.label(), "denied by rule: a CIDR rule cannot see where a host name leads "
                            + "when it is not resolved here (a server-side proxy resolves it); write a host-name rule for it");
                }
                continue;
            }
            if (rule.action() == Action.DENY) {
                return PolicyDecision.deny(rule.label(), "denied by rule");
            }
            if (protection != null && !protection.explicitlyAllowedBy(rule.target())) {
                continue; // a broad allow never opens a protected request
            }
            return PolicyDecision.allow(rule.label());
        }
        if (protection != null) {
            return PolicyDecision.deny(protection.rule(), protection.reason());
        }
        return defaultAction == Action.ALLOW
                ? PolicyDecision.allow(defaultLabel)
                : PolicyDecision.deny(defaultLabel, "no rule matches");
    }

    /** Every {@code quota} line that names {@code identity} applies; the strictest value of each limit wins. */
    @Override
    public Quota quota(Identity identity) {
        Quota quota = Quota.NONE;
        for (QuotaRule rule : quotas) {
            if (rule.appliesTo(identity)) {
                quota = quota.tighter(rule.quota());
            }
        }
        return quota;
    }

    /** What makes {@code request} protected, or {@code null}. */
    private static Protection protection(ForwardRequest request, Optional<InetAddress> address) {
        if (address.isPresent() && PROTECTED.stream().anyMatch(c -> c.contains(address.get()))) {
            return new Protection("protected-addresses", "link-local or cloud-metadata address; allow it with an explicit CIDR rule",
                    target -> target.explicitlyCovers(address.get(), request.port()));
        }
        if (request.direction() == Direction.LOCAL && address.isPresent() && TargetHost.isUnspecified(address.get())) {
            return new Protection("unspecified-address", "an unspecified address reaches the server itself; name a loopback address instead",
                    target -> target.explicitlyCovers(address.get(), request.port()));
        }
        if (request.direction() == Direction.REMOTE && request.port() > 0 && request.port() < FIRST_UNPRIVILEGED_PORT) {
            return new Protection("privileged-port", "listening on a port below 1024 needs an allow rule that names the port, "
                    + "e.g. allow 127.0.0.1:" + request.port() + " direction=remote",
                    target -> target.namesPort(request.port()));
        }
        return null;
    }

    /** A protected request: who decided, why, and which rule targets may still allow it. */
    private record Protection(String rule, String reason, Predicate<Target> allowedBy) {
        boolean explicitlyAllowedBy(Target target) {
            return allowedBy.test(target);
        }
    }

    List<Rule> rules() {
        return rules;
    }
}
