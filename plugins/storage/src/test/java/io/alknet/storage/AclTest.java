package io.alknet.storage;

import io.alknet.api.Identity;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The ACL graph's matrix (spec §3.4, §8.1): delegations narrowed, non-narrowable and over two hops, group membership,
 * and resource rules, each allowed or denied; on SQLite and on PostgreSQL.
 */
@ParameterizedClass
@EnumSource(Backend.class)
class AclTest extends StorageTestBase {

    private Acl acl;

    @BeforeEach
    void graph() {
        acl = Acl.of(storage);
        acl.addPrincipal("alice", Acl.IdentityType.ACCOUNT, "a-1", Set.of("relay:connect", "shell:use", "metrics:read"));
        acl.addPrincipal("ops", Acl.IdentityType.ORG, "o-1", Set.of("deploy:run"));
        for (String service : List.of("bot", "helper", "bot2", "helper2", "stranger")) {
            acl.addPrincipal(service, Acl.IdentityType.SERVICE, service, Set.of());
        }
        acl.addResource("db", "database");
        acl.addResource("pipeline", "ci");
        acl.grant("alice", Acl.Action.READ, "db");
        acl.grant("alice", Acl.Action.WRITE, "db");
        acl.grant("ops", Acl.Action.EXECUTE, "pipeline");
        acl.belongsTo("alice", "ops");
        // narrowed, and passed on: alice -> bot -> helper
        acl.delegate("alice", "bot", Set.of("metrics:read", "database:read", "deploy:run"), true);
        acl.delegate("bot", "helper", Set.of("metrics:read"), true);
        // not narrowable: bot2 may use it, but what it passes on is nothing
        acl.delegate("alice", "bot2", Set.of("metrics:read"), false);
        acl.delegate("bot2", "helper2", Set.of("metrics:read"), true);
    }

    private Identity of(String principal) {
        return acl.identityOf(principal, principal);
    }

    private static Acl.Requirement scopes(String... scopes) {
        return new Acl.Requirement(Set.of(scopes), Set.of(), Optional.empty(), Optional.empty());
    }

    private static Acl.Requirement anyOf(String... scopes) {
        return new Acl.Requirement(Set.of(), Set.of(scopes), Optional.empty(), Optional.empty());
    }

    private static Acl.Requirement resource(String type, Acl.Action action) {
        return new Acl.Requirement(Set.of(), Set.of(), Optional.of(type), Optional.of(action));
    }

    @Test
    void grantsFlowDownMembershipAndDelegationsNarrowingAtEachHop() {
        assertThat(of("alice").scopes()).containsExactlyInAnyOrder("relay:connect", "shell:use", "metrics:read", "deploy:run");
        assertThat(of("alice").resources()).isEqualTo(Map.of("database:db", List.of("read", "write"), "ci:pipeline", List.of("execute")));
        assertThat(of("bot").scopes()).containsExactlyInAnyOrder("metrics:read", "deploy:run");
        assertThat(of("bot").resources()).isEqualTo(Map.of("database:db", List.of("read")));
        assertThat(of("helper").scopes()).containsExactly("metrics:read");
        assertThat(of("helper").resources()).isEmpty();
        assertThat(of("bot2").scopes()).containsExactly("metrics:read");
        assertThat(of("helper2").scopes()).as("bot2's delegation was not narrowable").isEmpty();
        assertThat(of("stranger").scopes()).isEmpty();
    }

    @Test
    void theOperationChecksAllowAndDenyAsSection34Says() {
        record Row(String principal, Acl.Requirement requirement, boolean allowed) {
        }
        List<Row> matrix = List.of(
                new Row("alice", scopes("shell:use", "metrics:read"), true),
                new Row("bot", scopes("shell:use"), false),                      // narrowed away
                new Row("bot", scopes("metrics:read", "deploy:run"), true),      // deploy:run came through alice's org
                new Row("helper", scopes("metrics:read"), true),                 // two hops, narrowable
                new Row("helper", scopes("deploy:run"), false),                  // narrowed away at the second hop
                new Row("helper2", scopes("metrics:read"), false),               // the first hop was not narrowable
                new Row("bot2", scopes("metrics:read"), true),
                new Row("bot", anyOf("shell:use", "deploy:run"), true),
                new Row("helper", anyOf("shell:use", "deploy:run"), false),
                new Row("alice", resource("database", Acl.Action.WRITE), true),
                new Row("bot", resource("database", Acl.Action.READ), true),
                new Row("bot", resource("database", Acl.Action.WRITE), false),   // only database:read was delegated
                new Row("alice", resource("ci", Acl.Action.EXECUTE), true),      // through membership of ops
                new Row("bot", resource("ci", Acl.Action.EXECUTE), false),       // ci:execute was not delegated
                new Row("stranger", resource("database", Acl.Action.READ), false),
                new Row("stranger", scopes(), true));                            // nothing required, authenticated
        for (Row row : matrix) {
            assertThat(Acl.allows(of(row.principal()), row.requirement())).as("%s %s", row.principal(), row.requirement())
                    .isEqualTo(row.allowed());
        }
    }

    @Test
    void aDelegationMayNameOnlyWhatItsDelegatorHolds() {
        assertThatThrownBy(() -> acl.delegate("bot", "stranger", Set.of("shell:use"), true))
                .hasMessageContaining("bot cannot delegate what it does not hold: [shell:use]");
        assertThatThrownBy(() -> acl.delegate("alice", "alice", Set.of("shell:use"), true)).hasMessageContaining("self-loops");
        assertThat(of("stranger").scopes()).isEmpty();
    }

    @Test
    void delegationCyclesEndAndGrantNothingNew() {
        acl.delegate("helper", "bot", Set.of("metrics:read"), true);
        assertThat(of("bot").scopes()).containsExactlyInAnyOrder("metrics:read", "deploy:run");
        assertThat(of("helper").scopes()).containsExactly("metrics:read");
    }
}
