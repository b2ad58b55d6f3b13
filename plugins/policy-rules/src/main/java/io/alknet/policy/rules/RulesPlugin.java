package io.alknet.policy.rules;

import io.alknet.policy.rules.internal.RulesPolicyFactory;
import io.alknet.api.plugin.AlknetPlugin;
import io.alknet.api.policy.ForwardingPolicyFactory;

import java.util.List;

/** Contributes the {@code rules} forwarding policy. */
public final class RulesPlugin implements AlknetPlugin {

    @Override
    public String name() {
        return "rules";
    }

    @Override
    public List<ForwardingPolicyFactory> forwardingPolicies() {
        return List.of(new RulesPolicyFactory());
    }
}
