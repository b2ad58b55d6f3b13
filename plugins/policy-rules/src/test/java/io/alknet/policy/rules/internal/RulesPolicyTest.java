package io.alknet.policy.rules.internal;

import io.alknet.api.AlknetException;
import io.alknet.api.Identity;
import io.alknet.api.policy.Direction;
import io.alknet.api.policy.ForwardRequest;
import io.alknet.api.policy.PolicyDecision;
import io.alknet.api.policy.Quota;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RulesPolicyTest {

    private static final Identity ALICE = Identity.of("SHA256:alice", "alice", Set.of(Identity.RELAY_CONNECT, "db-users"));
    private static final Identity BOB = Identity.of("SHA256:bob", "bob", Set.of(Identity.RELAY_CONNECT));

    @Test
    void firstMatchingRuleWinsEvenIfALaterOneDisagrees() {
        RulesPolicy policy = parse("allow *.example.com:443", "deny *.example.com:*");
        assertThat(decide(policy, ALICE, "www.example.com", 443).allowed()).isTrue();
        assertThat(decide(policy, ALICE, "www.example.com", 80)).satisfies(d -> {
            assertThat(d.allowed()).isFalse();
            assertThat(d.rule()).isEqualTo("policy.rules:2");
        });
    }

    @Test
    void noMatchFallsToTheDefault() {
        assertThat(decide(parse("deny *:22"), ALICE, "host", 80)).isEqualTo(PolicyDecision.allow("default"));
        PolicyDecision denied = decide(parse("default deny", "allow db:5432"), ALICE, "host", 80);
        assertThat(denied.allowed()).isFalse();
        assertThat(denied.rule()).isEqualTo("default(policy.rules:1)");
    }

    @Test
    void hostPatterns() {
        RulesPolicy policy = parse("default deny", "allow *.example.com:*", "allow db-*:*", "allow exact.host:*");
        assertThat(decide(policy, ALICE, "a.example.com", 1).allowed()).isTrue();
        assertThat(decide(policy, ALICE, "A.Example.COM", 1).allowed()).isTrue();
        assertThat(decide(policy, ALICE, "example.com", 1).allowed()).as("apex").isFalse();
        assertThat(decide(policy, ALICE, "db-1", 1).allowed()).isTrue();
        assertThat(decide(policy, ALICE, "db-", 1).allowed()).isFalse();
        assertThat(decide(policy, ALICE, "exact.host", 1).allowed()).isTrue();
        assertThat(decide(policy, ALICE, "exact.host.evil", 1).allowed()).isFalse();
    }

    @Test
    void cidrRulesMatchTheResolvedAddressNeverTheBareName() {
        RulesPolicy policy = parse("deny 10.0.0.0/8:*", "deny [fd00::/8]:*");
        assertThat(decide(policy, ALICE, "10.1.2.3", 80).allowed()).isFalse();
        ForwardRequest resolved = request(ALICE, "internal.example", 80).withAddress(InetAddress.ofLiteral("10.4.4.4"));
        assertThat(policy.decide(resolved).allowed()).as("name resolved into the denied range").isFalse();
        assertThat(policy.decide(request(ALICE, "v6.example", 80).withAddress(InetAddress.ofLiteral("fd12::1"))).allowed()).isFalse();
        assertThat(policy.decide(request(ALICE, "v4mapped", 80).withAddress(InetAddress.ofLiteral("::ffff:10.0.0.1"))).allowed()).isFalse();
        assertThat(policy.decide(request(ALICE, "elsewhere.example", 80).withAddress(InetAddress.ofLiteral("192.0.2.1"))).allowed()).isTrue();
        RulesPolicy allowing = parse("default deny", "allow 10.0.0.0/8:*");
        assertThat(decide(allowing, ALICE, "10.1.2.3", 80).allowed()).isTrue();
        assertThat(decide(allowing, ALICE, "internal.example", 80).allowed()).as("a name never matches a CIDR allow").isFalse();
    }

    /**
     * A name handed unresolved to a server-side proxy: where it leads is unknown here, so a CIDR deny whose
     * ports match denies it (a name must not slip past an address rule); other ports and allow rules do not
     * see it; the reserved control names are not destinations at all.
     */
    @Test
    void aNameNotResolvedHereIsDeniedByACidrDenyRuleWhosePortsMatch() {
        RulesPolicy policy = parse("deny 10.0.0.0/8:5432 name=no-db", "allow *");
        PolicyDecision denied = decide(policy, ALICE, "db.internal", 5432);
        assertThat(denied.allowed()).isFalse();
        assertThat(denied.rule()).isEqualTo("no-db");
        assertThat(denied.reason()).contains("not resolved here").doesNotContain("db.internal");
        assertThat(decide(policy, ALICE, "db.internal", 443).allowed()).isTrue();
        assertThat(decide(parse("deny 10.0.0.0/8:*", "allow alknet-*"), ALICE, "alknet-control", 0).allowed()).isTrue();
    }

    @Test
    void unspecifiedAddressesAreTheServerItselfDeniedWithLoopbackAndByDefault() {
        RulesPolicy denyLoopback = parse("deny 127.0.0.0/8:8099", "allow *");
        for (String spelling : List.of("127.0.0.1", "0.0.0.0", "[::]", "::", "[::ffff:0.0.0.0]", "0.1.2.3")) {
            assertThat(decide(denyLoopback, ALICE, spelling, 8099)).as(spelling).satisfies(d -> {
                assertThat(d.allowed()).isFalse();
                assertThat(d.rule()).isEqualTo("policy.rules:1");
            });
        }
        assertThat(policy(denyLoopback, "localhost", 8099, "::")).as("a name that resolved to ::").isFalse();
        assertThat(decide(parse("deny [::1]:8099", "allow *"), ALICE, "0.0.0.0", 8099).allowed()).as("v6 loopback rule").isFalse();

        // without any rule about loopback: still denied, broad allows do not open them, an explicit one does
        for (RulesPolicy broad : List.of(RulesPolicy.builtInDefault(), parse("allow *"), parse("allow 127.0.0.0/8:*"))) {
            PolicyDecision decision = decide(broad, ALICE, "0.0.0.0", 8099);
            assertThat(decision.allowed()).isFalse();
            assertThat(decision.rule()).isEqualTo("unspecified-address");
            assertThat(decision.reason()).contains("server itself");
            assertThat(decide(broad, ALICE, "::", 80).allowed()).isFalse();
            assertThat(decide(broad, ALICE, "127.0.0.1", 8099).allowed()).isTrue();
        }
        assertThat(decide(parse("allow 0.0.0.0:8099"), ALICE, "0.0.0.0", 8099).allowed()).isTrue();

        // listening on the wildcard is what 0.0.0.0 means for a remote forward: not protected, but a loopback deny covers it
        ForwardRequest wildcard = new ForwardRequest(ALICE, Direction.REMOTE, "0.0.0.0", 8080, Optional.empty(), "tcp");
        assertThat(RulesPolicy.builtInDefault().decide(wildcard).allowed()).isTrue();
        assertThat(parse("deny 127.0.0.0/8:* direction=remote").decide(wildcard).allowed()).isFalse();
    }

    @Test
    void ambiguousNumericTargetsAreDeniedNotGuessed() {
        RulesPolicy policy = parse("deny 127.0.0.0/8:8099", "allow *");
        for (String spelling : List.of("0177.0.0.1", "127.1", "2130706433", "0x7f.1", "127.0.0.1.")) {
            assertThat(decide(policy, ALICE, spelling, 8099)).as(spelling).satisfies(d -> {
                assertThat(d.allowed()).isFalse();
                assertThat(d.rule()).isEqualTo("target-syntax");
                assertThat(d.reason()).contains("ambiguous");
            });
        }
    }

    @Test
    void listeningBelowPort1024NeedsARuleThatNamesThePort() {
        ForwardRequest http = new ForwardRequest(ALICE, Direction.REMOTE, "127.0.0.1", 80, Optional.of(InetAddress.ofLiteral("127.0.0.1")), "tcp");
        for (RulesPolicy broad : List.of(RulesPolicy.builtInDefault(), parse("allow *"), parse("allow 127.0.0.1:* direction=remote"))) {
            PolicyDecision decision = broad.decide(http);
            assertThat(decision.allowed()).isFalse();
            assertThat(decision.rule()).isEqualTo("privileged-port");
            assertThat(decision.reason()).contains("below 1024").contains("allow 127.0.0.1:80 direction=remote");
        }
        assertThat(parse("allow 127.0.0.1:80 direction=remote principal=alice").decide(http).allowed()).isTrue();
        assertThat(parse("allow *:80,443 direction=remote").decide(http).allowed()).isTrue();
        assertThat(parse("allow *:80 direction=remote principal=bob").decide(http).allowed()).isFalse();
        assertThat(RulesPolicy.builtInDefault().decide(new ForwardRequest(ALICE, Direction.REMOTE, "127.0.0.1", 1024,
                Optional.empty(), "tcp")).allowed()).isTrue();
        assertThat(RulesPolicy.builtInDefault().decide(new ForwardRequest(ALICE, Direction.REMOTE, "127.0.0.1", 0,
                Optional.empty(), "tcp")).allowed()).as("any free port").isTrue();
        assertThat(decide(RulesPolicy.builtInDefault(), ALICE, "127.0.0.1", 80).allowed()).as("connecting to port 80").isTrue();
    }

    @Test
    void portRangesAreInclusive() {
        RulesPolicy policy = parse("default deny", "allow *:8080-8089,9000");
        assertThat(decide(policy, ALICE, "h", 8080).allowed()).isTrue();
        assertThat(decide(policy, ALICE, "h", 8089).allowed()).isTrue();
        assertThat(decide(policy, ALICE, "h", 8090).allowed()).isFalse();
        assertThat(decide(policy, ALICE, "h", 8079).allowed()).isFalse();
        assertThat(decide(policy, ALICE, "h", 9000).allowed()).isTrue();
    }

    @Test
    void principalsMatchIdNameOrScope() {
        RulesPolicy policy = parse("default deny", "allow *:5432 principal=db-users", "allow *:22 principal=bob", "allow *:80 principal=SHA256:alice");
        assertThat(decide(policy, ALICE, "db", 5432).allowed()).isTrue();
        assertThat(decide(policy, BOB, "db", 5432).allowed()).isFalse();
        assertThat(decide(policy, BOB, "ssh", 22).allowed()).isTrue();
        assertThat(decide(policy, ALICE, "ssh", 22).allowed()).isFalse();
        assertThat(decide(policy, ALICE, "web", 80).allowed()).isTrue();
    }

    @Test
    void directionAndTransportFilters() {
        RulesPolicy policy = parse("default deny", "allow *:* direction=remote transport=tls", "allow *:443 direction=local");
        assertThat(policy.decide(new ForwardRequest(ALICE, Direction.REMOTE, "0.0.0.0", 8080, Optional.empty(), "tls")).allowed()).isTrue();
        assertThat(policy.decide(new ForwardRequest(ALICE, Direction.REMOTE, "0.0.0.0", 8080, Optional.empty(), "tcp")).allowed()).isFalse();
        assertThat(decide(policy, ALICE, "h", 443).allowed()).isTrue();
        assertThat(decide(policy, ALICE, "h", 444).allowed()).isFalse();
    }

    @Test
    void linkLocalAndMetadataNeedAnExplicitCidrRule() {
        RulesPolicy broad = parse("allow *");
        assertThat(decide(broad, ALICE, "169.254.169.254", 80).allowed()).isFalse();
        assertThat(broad.decide(request(ALICE, "metadata.internal", 80).withAddress(InetAddress.ofLiteral("169.254.169.254"))).reason())
                .contains("link-local");
        assertThat(decide(broad, ALICE, "[fe80::1]", 80).allowed()).isFalse();
        assertThat(decide(broad, ALICE, "fd00:ec2::254", 80).allowed()).isFalse();
        assertThat(broad.decide(request(ALICE, "x", 80).withAddress(InetAddress.ofLiteral("::ffff:169.254.169.254"))).allowed()).isFalse();
        assertThat(decide(RulesPolicy.builtInDefault(), ALICE, "169.254.1.1", 80).allowed()).isFalse();

        RulesPolicy explicit = parse("allow 169.254.169.254:80", "allow *");
        assertThat(decide(explicit, ALICE, "169.254.169.254", 80).allowed()).isTrue();
        assertThat(decide(explicit, ALICE, "169.254.169.254", 81).allowed()).isFalse();
        assertThat(decide(explicit, ALICE, "10.0.0.1", 22).allowed()).isTrue();
    }

    @Test
    void reservedControlNames() {
        RulesPolicy policy = parse("deny alknet-*", "allow *");
        assertThat(decide(policy, ALICE, "alknet-control", 0).allowed()).isFalse();
        assertThat(decide(policy, ALICE, "Alknet-control", 0).allowed()).as("host names are case-insensitive").isFalse();
        assertThat(decide(policy, ALICE, "ALKNET-x", 0).allowed()).isFalse();
        assertThat(decide(policy, ALICE, "alknet.example.com", 0).allowed()).isTrue();
    }

    @Test
    void namedRulesAreLoggedByName() {
        assertThat(decide(parse("deny *:22 name=no-ssh"), ALICE, "h", 22).rule()).isEqualTo("no-ssh");
    }

    @Test
    void malformedFilesNameTheLine() {
        assertThatThrownBy(() -> parse("allow *", "permit *:22")).isInstanceOf(AlknetException.class)
                .hasMessageContaining("policy.rules:2").hasMessageContaining("'permit'");
        assertThatThrownBy(() -> parse("allow example.com")).hasMessageContaining("needs a port");
        assertThatThrownBy(() -> parse("allow *:70000")).hasMessageContaining("not a port");
        assertThatThrownBy(() -> parse("allow *:1 direction=sideways")).hasMessageContaining("direction");
        assertThatThrownBy(() -> parse("allow *:1 colour=red")).hasMessageContaining("unknown option");
        assertThatThrownBy(() -> parse("allow 10.0.0.0/40:1")).hasMessageContaining("CIDR");
        assertThatThrownBy(() -> parse("allow fd00::1:80")).hasMessageContaining("brackets");
        assertThatThrownBy(() -> parse("default allow", "default deny")).hasMessageContaining("twice");
        assertThatThrownBy(() -> parse("allow a*b*c:1")).hasMessageContaining("one * wildcard");
        assertThatThrownBy(() -> parse("deny 0177.0.0.1:*")).hasMessageContaining("policy.rules:1").hasMessageContaining("ambiguous");
        assertThatThrownBy(() -> parse("deny 127.1:*")).hasMessageContaining("ambiguous");
        assertThatThrownBy(() -> parse("deny 010.0.0.0/8:*")).hasMessageContaining("ambiguous");
    }

    @Test
    void quotaLinesApplyToTheIdentitiesTheyNameAndTheStrictestValueOfEachWins() {
        RulesPolicy policy = parse("quota principal=db-users channels=8 rate=10MB/s", "allow *",
                "quota sessions=4 channels=32", "quota principal=SHA256:bob rate-down=1MiB/s name=bob-down");
        assertThat(policy.quota(ALICE)).isEqualTo(Quota.parse("sessions=4,channels=8,rate=10MB/s"));
        assertThat(policy.quota(BOB)).isEqualTo(Quota.parse("sessions=4,channels=32,rate-down=1MiB/s"));
        assertThat(parse("allow *").quota(ALICE).isNone()).as("no quota line, no limit").isTrue();
        assertThat(decide(policy, BOB, "h", 80).allowed()).as("quota lines decide no forward").isTrue();
    }

    @Test
    void malformedQuotaLinesNameTheLineAndTheLimit() {
        assertThatThrownBy(() -> parse("allow *", "quota principal=alice")).hasMessageContaining("policy.rules:2")
                .hasMessageContaining("at least one limit");
        assertThatThrownBy(() -> parse("quota rate=fast")).hasMessageContaining("policy.rules:1").hasMessageContaining("rate must be a size");
        assertThatThrownBy(() -> parse("quota colour=red")).hasMessageContaining("unknown quota option 'colour'");
        assertThatThrownBy(() -> parse("quota channels")).hasMessageContaining("expected key=value");
    }

    private static RulesPolicy parse(String... lines) {
        return RuleFile.parse(List.of(lines), "policy.rules");
    }

    private static boolean policy(RulesPolicy policy, String host, int port, String resolvedTo) {
        return policy.decide(request(ALICE, host, port).withAddress(InetAddress.ofLiteral(resolvedTo))).allowed();
    }

    private static PolicyDecision decide(RulesPolicy policy, Identity who, String host, int port) {
        return policy.decide(request(who, host, port));
    }

    private static ForwardRequest request(Identity who, String host, int port) {
        return new ForwardRequest(who, Direction.LOCAL, host, port, Optional.empty(), "tcp");
    }

    /** Loopback is one host in both families: a deny of 127.0.0.0/8 also stops [::1] and a localhost that resolved to it. */
    @Test
    void aLoopbackRuleCoversBothFamilies() {
        RulesPolicy policy = RuleFile.parse(List.of("deny 127.0.0.0/8:8099", "deny [::1]:8100"), "policy.rules");
        ForwardRequest literal = new ForwardRequest(ALICE, Direction.LOCAL, "::1", 8099, Optional.empty(), "tcp");
        ForwardRequest localhost = new ForwardRequest(ALICE, Direction.LOCAL, "localhost", 8099, Optional.empty(), "tcp")
                .withAddress(InetAddress.ofLiteral("::1"));
        ForwardRequest ipv4 = new ForwardRequest(ALICE, Direction.LOCAL, "127.0.0.1", 8100, Optional.empty(), "tcp");
        assertThat(policy.decide(literal).allowed()).as("[::1]:8099").isFalse();
        assertThat(policy.decide(localhost).allowed()).as("localhost resolved to ::1").isFalse();
        assertThat(policy.decide(ipv4).allowed()).as("127.0.0.1 under a rule about ::1").isFalse();
        assertThat(policy.decide(new ForwardRequest(ALICE, Direction.LOCAL, "::1", 8101, Optional.empty(), "tcp")).allowed())
                .as("another port").isTrue();
    }
}
