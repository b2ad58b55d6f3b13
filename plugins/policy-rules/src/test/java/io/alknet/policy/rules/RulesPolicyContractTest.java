package io.alknet.policy.rules;

import io.alknet.api.policy.Direction;
import io.alknet.api.policy.ForwardRequest;
import io.alknet.api.policy.ForwardingPolicy;
import io.alknet.api.plugin.Settings;
import io.alknet.testkit.contract.ForwardingPolicyContract;
import io.alknet.testkit.contract.TestPluginContext;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** The rules policy against the forwarding policy contract, built by its factory from a real rules file. */
class RulesPolicyContractTest extends ForwardingPolicyContract {

    @TempDir
    Path dir;

    @Override
    protected ForwardingPolicy policy() throws Exception {
        Path rules = dir.resolve("policy.rules");
        Files.writeString(rules, """
                default deny
                allow web.internal:443
                """);
        return new RulesPolicyFactory().create(Settings.of("policy.rules.", Map.of("file", rules.toString())), TestPluginContext.in(dir));
    }

    @Override
    protected ForwardRequest allowedRequest() {
        return new ForwardRequest(identity("SHA256:alice", "relay:connect"), Direction.LOCAL, "web.internal", 443, Optional.empty(), "tcp");
    }

    @Override
    protected ForwardRequest deniedRequest() {
        return new ForwardRequest(identity("SHA256:alice", "relay:connect"), Direction.LOCAL, "db.internal", 5432, Optional.empty(), "tcp");
    }
}
