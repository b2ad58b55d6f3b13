package io.alknet.testkit.contract;

import io.alknet.api.Identity;
import io.alknet.api.policy.Direction;
import io.alknet.api.policy.ForwardRequest;
import io.alknet.api.policy.ForwardingPolicy;
import io.alknet.api.policy.PolicyDecision;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link ForwardingPolicy} must do: decide the same request the same way every time, give every
 * denial a reason an operator can act on, and answer (not throw) for any well-formed request — odd ports,
 * IPv6, names that look like addresses, the reserved {@code alknet-*} names, identities without scopes.
 */
public abstract class ForwardingPolicyContract {

    /** The policy under test. */
    protected abstract ForwardingPolicy policy() throws Exception;

    /** A request this policy allows. */
    protected abstract ForwardRequest allowedRequest() throws Exception;

    /** A request this policy denies. */
    protected abstract ForwardRequest deniedRequest() throws Exception;

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
    void answersForOddButWellFormedRequests() throws Exception {
        ForwardingPolicy policy = policy();
        Identity nobody = identity("SHA256:nobody");
        List<ForwardRequest> odd = List.of(
                new ForwardRequest(nobody, Direction.LOCAL, "127.0.0.1", 0, Optional.of(InetAddress.getByName("127.0.0.1")), "tcp"),
                new ForwardRequest(nobody, Direction.LOCAL, "::1", 65535, Optional.of(InetAddress.getByName("::1")), "tls"),
                new ForwardRequest(nobody, Direction.REMOTE, "0.0.0.0", 8080, Optional.empty(), "tcp"),
                new ForwardRequest(nobody, Direction.LOCAL, "alknet-control", 0, Optional.empty(), "tcp"),
                new ForwardRequest(nobody, Direction.LOCAL, "10.0.0.1.example", 443, Optional.empty(), "iroh"),
                new ForwardRequest(identity("SHA256:x", "relay:connect"), Direction.LOCAL, "xn--bcher-kva.example", 80,
                        Optional.empty(), "tcp"));
        for (ForwardRequest request : odd) {
            PolicyDecision decision = policy.decide(request);
            assertThat(decision).as("decision for %s %s:%d", request.direction(), request.host(), request.port()).isNotNull();
            if (!decision.allowed()) {
                assertThat(decision.reason()).isNotBlank();
            }
        }
    }
}
