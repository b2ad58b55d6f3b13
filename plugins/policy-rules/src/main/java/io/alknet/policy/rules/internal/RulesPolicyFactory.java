package io.alknet.policy.rules.internal;

import io.alknet.api.plugin.PluginContext;
import io.alknet.api.plugin.SettingSpec;
import io.alknet.api.plugin.Settings;
import io.alknet.api.policy.ForwardingPolicy;
import io.alknet.api.policy.ForwardingPolicyFactory;

import java.util.List;
import java.util.Optional;


/**
 * Creates a {@link RulesPolicy} from {@code policy.rules.file} or the same syntax inline in
 * {@code policy.rules.text} (a configuration file's {@code [forwarding] rules}); without either, the built-in default
 * applies: allow every authenticated forward except to link-local and cloud-metadata addresses, to the
 * unspecified addresses, and listening below port 1024.
 */
public final class RulesPolicyFactory implements ForwardingPolicyFactory {

    static final List<SettingSpec> DECLARED = List.of(
            SettingSpec.path("file", "Forwarding policy rules (see 'alknet policy explain --help').")
                    .withFlag("--policy").inFile("forwarding.policy"),
            SettingSpec.string("text", "The same rules inline (not both).").inFile("forwarding.rules"));

    @Override
    public String name() {
        return "rules";
    }

    @Override
    public Optional<List<SettingSpec>> settings() {
        return Optional.of(DECLARED);
    }

    @Override
    public ForwardingPolicy create(Settings settings, PluginContext context) {
        settings.requireOnly(SettingSpec.names(DECLARED));
        if (settings.get("file").isPresent() && settings.get("text").isPresent()) {
            throw new io.alknet.api.AlknetException(io.alknet.api.ErrorCode.INVALID_CONFIG,
                    "give the forwarding rules either as a file (policy.rules.file) or inline (policy.rules.text), not both");
        }
        if (settings.get("text").isPresent()) {
            return RuleFile.parse(settings.get("text").get().lines().toList(), "[forwarding] rules");
        }
        return settings.path("file").map(RuleFile::read).orElseGet(RulesPolicy::builtInDefault);
    }

    @Override
    public String defaultBehaviour() {
        return "Without --policy, or when no rule matches and the file sets no 'default', forwards by "
                + "authenticated users are allowed, except to link-local and cloud-metadata addresses "
                + "(169.254.0.0/16, fe80::/10, fd00:ec2::254) and to 0.0.0.0 or :: (the server itself), which need "
                + "an explicit CIDR allow rule, and remote forwards on ports below 1024, which need an allow rule "
                + "naming the port. Write 'default deny' in the policy file for an allowlist.";
    }
}
