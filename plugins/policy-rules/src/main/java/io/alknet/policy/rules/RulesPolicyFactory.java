package io.alknet.policy.rules;

import io.alknet.api.plugin.PluginContext;
import io.alknet.api.plugin.Settings;
import io.alknet.api.policy.ForwardingPolicy;
import io.alknet.api.policy.ForwardingPolicyFactory;

import java.util.Set;

/**
 * Creates a {@link RulesPolicy} from {@code policy.rules.file}; without a file, the built-in default
 * applies: allow every authenticated forward except to link-local and cloud-metadata addresses.
 */
public final class RulesPolicyFactory implements ForwardingPolicyFactory {

    static final Set<String> KEYS = Set.of("file");

    @Override
    public String name() {
        return "rules";
    }

    @Override
    public ForwardingPolicy create(Settings settings, PluginContext context) {
        settings.requireOnly(KEYS);
        return settings.path("file").map(RuleFile::read).orElseGet(RulesPolicy::builtInDefault);
    }

    @Override
    public String defaultBehaviour() {
        return "Without --policy, or when no rule matches and the file sets no 'default', forwards by "
                + "authenticated users are allowed, except to link-local and cloud-metadata addresses "
                + "(169.254.0.0/16, fe80::/10, fd00:ec2::254), which need an explicit CIDR allow rule. "
                + "Write 'default deny' in the policy file for an allowlist.";
    }
}
