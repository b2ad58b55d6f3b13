package io.alknet.policy.rules.internal;

import io.alknet.api.policy.Direction;
import io.alknet.api.policy.ForwardRequest;
import io.alknet.api.policy.ForwardingPolicy;
import io.alknet.api.plugin.Settings;
import io.alknet.testkit.contract.ForwardingPolicyContract;
import io.alknet.testkit.contract.TestPluginContext;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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
                allow 127.0.0.1:*
                allow *:8080
                allow alknet-*
                allow *.example:443 transport=iroh
                """);
        return new RulesPolicyFactory().create(Settings.of("policy.rules.", Map.of("file", rules.toString())), TestPluginContext.in(dir));
    }

    @Override
    protected ForwardRequest allowedRequest() {
        return new ForwardRequest(identity("SHA256:alice", "relay:connect"), Direction.LOCAL, "web.internal", 443, Optional.empty(), "tcp");
    }

    /**
     * ::1 by the rule about 127.0.0.1 (loopback is one host in both families), not 0.0.0.0:8080 as a destination (a
     * broad allow never opens it), not the IDN name.
     */
    @Override
    protected Set<OddRequest> allowedOddRequests() {
        return EnumSet.of(OddRequest.LOOPBACK_PORT_ZERO, OddRequest.REMOTE_WILDCARD, OddRequest.CONTROL_CHANNEL,
                OddRequest.NAME_THAT_LOOKS_LIKE_AN_ADDRESS, OddRequest.IPV6_LOOPBACK_HIGHEST_PORT);
    }

    @Override
    protected ForwardRequest deniedRequest() {
        return new ForwardRequest(identity("SHA256:alice", "relay:connect"), Direction.LOCAL, "db.internal", 5432, Optional.empty(), "tcp");
    }
}
