package io.alknet.kernel.internal;

import io.alknet.api.metrics.Metrics;
import io.alknet.api.policy.Direction;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The kernel's tags come from closed sets: whatever a peer or a plugin hands it outside them is {@code other}. */
class KernelMetricsTest {

    /** A fake backend that keeps what was recorded as "name tag=value,…". */
    private final List<String> recorded = new ArrayList<>();
    private final Metrics recording = new Metrics() {
        @Override
        public Counter counter(String name, String description, String... tags) {
            return amount -> recorded.add(name + " " + String.join(",", tags));
        }

        @Override
        public Timer timer(String name, String description, String... tags) {
            return nanos -> recorded.add(name + " " + String.join(",", tags));
        }

        @Override
        public Gauge gauge(String name, String description, String... tags) {
            return delta -> recorded.add(name + " " + String.join(",", tags) + " " + delta);
        }
    };
    private final KernelMetrics metrics = new KernelMetrics(recording);

    @Test
    void methodsReasonsAndCodesOutsideTheirSetsAreOther() {
        metrics.authFailure("publickey", "unknown_key");
        metrics.authFailure("Method With Spaces", "Reason With Spaces");
        metrics.authSuccess("publickey-cert");
        metrics.connectionRejected("penalty");
        metrics.channelFailed(KernelMetrics.ChannelKind.DIRECT_TCPIP, "10.0.0.1:22");
        assertThat(recorded).containsExactly(
                "alknet.auth.failures method,publickey,reason,unknown_key",
                "alknet.auth.failures method,other,reason,other",
                "alknet.auth.successes method,publickey-cert",
                "alknet.connections.rejected reason,penalty",
                "alknet.channels.failed kind,direct-tcpip,code,OTHER");
    }

    @Test
    void aRuleIsNamedByItsFileAndLineWithoutDirectories() {
        assertThat(KernelMetrics.rule("default(/etc/alknet/policy.rules:1)")).isEqualTo("default(policy.rules:1)");
        assertThat(KernelMetrics.rule("/etc/alknet/policy.rules:7")).isEqualTo("policy.rules:7");
        assertThat(KernelMetrics.rule("[forwarding] rules:3")).isEqualTo("_forwarding_rules:3");
        assertThat(KernelMetrics.rule("scope")).isEqualTo("scope");
        assertThat(KernelMetrics.rule("x".repeat(65))).isEqualTo("other");
        metrics.policyDenied(Direction.REMOTE, "default(/etc/alknet/policy.rules:1)");
        assertThat(recorded).containsExactly("alknet.policy.denials direction,remote,rule,default(policy.rules:1)");
    }

    @Test
    void aSessionIsActiveUntilItEnds() {
        Runnable ended = metrics.sessionOpened("tcp");
        ended.run();
        metrics.sessionOpened("Not A Scheme");
        assertThat(recorded).containsExactly("alknet.sessions transport,tcp", "alknet.sessions.active transport,tcp 1",
                "alknet.sessions.active transport,tcp -1", "alknet.sessions transport,other", "alknet.sessions.active transport,other 1");
    }
}
