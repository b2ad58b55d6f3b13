package io.alknet.testkit.contract;

import io.alknet.api.Identity;
import io.alknet.api.policy.Direction;
import io.alknet.api.policy.ForwardRequest;
import io.alknet.api.policy.ForwardingPolicy;
import io.alknet.api.policy.PolicyDecision;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link ForwardingPolicy} must do: decide the same request the same way every time, give every
 * denial a reason an operator can act on (never naming the destination), and decide odd but well-formed
 * requests — odd ports, IPv6, the unspecified address, names that look like addresses, the reserved
 * {@code alknet-*} names, identities without scopes — the way its author says it does, without throwing.
 */
public abstract class ForwardingPolicyContract {

    /** Odd but well-formed requests; {@link #allowedOddRequests()} says which of them the policy allows. */
    public enum OddRequest {
        /** Connect to 127.0.0.1 port 0. */
        LOOPBACK_PORT_ZERO(Direction.LOCAL, "127.0.0.1", 0, "127.0.0.1", "tcp", false),
        /** Connect to ::1 on the highest port, over tls. */
        IPV6_LOOPBACK_HIGHEST_PORT(Direction.LOCAL, "::1", 65535, "::1", "tls", false),
        /** Listen on every interface, port 8080. */
        REMOTE_WILDCARD(Direction.REMOTE, "0.0.0.0", 8080, "0.0.0.0", "tcp", false),
        /** Connect to 0.0.0.0 port 8080: the server itself. */
        UNSPECIFIED_DESTINATION(Direction.LOCAL, "0.0.0.0", 8080, "0.0.0.0", "tcp", false),
        /** The call protocol's control channel, {@code alknet-control:0}. */
        CONTROL_CHANNEL(Direction.LOCAL, "alknet-control", 0, null, "tcp", false),
        /** A name, unresolved, that starts like an address: {@code 10.0.0.1.example:443} over iroh. */
        NAME_THAT_LOOKS_LIKE_AN_ADDRESS(Direction.LOCAL, "10.0.0.1.example", 443, null, "iroh", false),
        /** An internationalized name, unresolved, asked by an identity with the relay scope. */
        INTERNATIONALIZED_NAME(Direction.LOCAL, "xn--bcher-kva.example", 80, null, "tcp", true);

        private final Direction direction;
        private final String host;
        private final int port;
        private final String address;
        private final String transport;
        private final boolean relayScope;

        OddRequest(Direction direction, String host, int port, String address, String transport, boolean relayScope) {
            this.direction = direction;
            this.host = host;
            this.port = port;
            this.address = address;
            this.transport = transport;
            this.relayScope = relayScope;
        }

        /** The request itself. */
        public ForwardRequest request() {
            Identity who = relayScope ? identity("SHA256:x", Identity.RELAY_CONNECT) : identity("SHA256:nobody");
            return new ForwardRequest(who, direction, host, port,
                    Optional.ofNullable(address).map(InetAddress::ofLiteral), transport);
        }
    }

    /** The policy under test. */
    protected abstract ForwardingPolicy policy() throws Exception;

    /** A request this policy allows. */
    protected abstract ForwardRequest allowedRequest() throws Exception;

    /** A request this policy denies. */
    protected abstract ForwardRequest deniedRequest() throws Exception;

    /** The odd requests this policy allows; it must deny the others. */
    protected abstract Set<OddRequest> allowedOddRequests() throws Exception;

    protected static Identity identity(String id, String... scopes) {
        return Identity.of(id, id, Set.of(scopes));
    }

    @Test
    void allowsWhatItShouldAndDecidesTheSameWayEveryTime() throws Exception {
        ForwardingPolicy policy = policy();
        PolicyDecision decision = policy.decide(allowedRequest());
        assertThat(decision.allowed()).as("decision %s", decision).isTrue();
        for (int i = 0; i < 3; i++) {
            assertThat(policy.decide(allowedRequest())).isEqualTo(decision);
        }
    }

    @Test
    void deniesWithAReasonAndTheRuleThatDecided() throws Exception {
        PolicyDecision decision = policy().decide(deniedRequest());
        assertThat(decision.allowed()).isFalse();
        assertThat(decision.reason()).isNotBlank();
        assertThat(decision.rule()).isNotBlank();
    }

    @Test
    void decidesOddButWellFormedRequestsAsItsAuthorSays() throws Exception {
        ForwardingPolicy policy = policy();
        Set<OddRequest> allowed = allowedOddRequests();
        for (OddRequest odd : OddRequest.values()) {
            ForwardRequest request = odd.request();
            PolicyDecision decision = policy.decide(request);
            assertThat(decision).as("decision for %s", odd).isNotNull();
            assertThat(decision.allowed()).as("%s allowed, decision %s", odd, decision).isEqualTo(allowed.contains(odd));
            assertThat(policy.decide(request)).as("%s decided again", odd).isEqualTo(decision);
            if (!decision.allowed()) {
                assertThat(decision.reason()).as("reason for %s", odd).isNotBlank().doesNotContain(request.host());
                assertThat(decision.rule()).as("rule for %s", odd).isNotBlank().doesNotContain(request.host());
            }
        }
    }
}
