package io.alknet.storage;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The metagraph schema and its rules, on SQLite and on PostgreSQL. */
@ParameterizedClass
@EnumSource(Backend.class)
class GraphsTest extends StorageTestBase {

    private Graphs graphs;
    private String graphType;

    @BeforeEach
    void types() {
        graphs = storage.graphs();
        graphType = graphs.createGraphType("acl-test", Map.of("direction", "directed", "multi", false, "allow_self_loops", false), "system");
        graphs.addNodeType(graphType, "principal", Map.of("type", "object"));
        graphs.addNodeType(graphType, "resource", Map.of("type", "object"));
        graphs.addEdgeType(graphType, "can_read", Set.of("principal"), Set.of("resource"));
    }

    @Test
    void keysAreUniquePerGraphNotAcrossGraphs() {
        String one = graphs.createGraph(graphType, "one", "owner");
        String two = graphs.createGraph(graphType, "two", "owner");
        graphs.addNode(one, "alice", Map.of("type", "principal"));
        graphs.addNode(two, "alice", Map.of("type", "principal"));

        assertThatThrownBy(() -> graphs.addNode(one, "alice", Map.of("type", "principal")))
                .isInstanceOfSatisfying(AlknetException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
        assertThat(graphs.nodes(one)).hasSize(1);
    }

    @Test
    void deletingANodeDeletesItsEdgesAndDeletingAGraphDeletesEverything() {
        String graph = graphs.createGraph(graphType, "g", "owner");
        graphs.addNode(graph, "alice", Map.of("type", "principal"));
        graphs.addNode(graph, "bob", Map.of("type", "principal"));
        graphs.addNode(graph, "db", Map.of("type", "resource"));
        graphs.addEdge(graph, "can_read", "alice", "db", Map.of());
        graphs.addEdge(graph, "can_read", "bob", "db", Map.of());

        graphs.deleteNode(graph, "alice");
        assertThat(graphs.edges(graph)).extracting(Graphs.Edge::source).containsExactly("bob");

        graphs.deleteGraph(graph);
        assertThat(graphs.nodes(graph)).isEmpty();
        assertThat(graphs.edges(graph)).isEmpty();
        long nodes = storage.read(tx -> tx.queryOne("SELECT COUNT(*) FROM nodes", row -> row.getLong(1)).orElseThrow());
        assertThat(nodes).isZero();
        assertThat(storage.accounts().auditLog(100)).extracting(AuditEntry::action).as("every write is audited")
                .contains("graphs.created", "nodes.created", "edges.created", "nodes.deleted", "graphs.deleted");
    }

    @Test
    void edgesMustJoinTheNodeTypesTheirTypeAllowsWithoutSelfLoopsOrParallels() {
        String graph = graphs.createGraph(graphType, "g", "owner");
        graphs.addNode(graph, "alice", Map.of("type", "principal"));
        graphs.addNode(graph, "db", Map.of("type", "resource"));
        graphs.addEdge(graph, "can_read", "alice", "db", Map.of());

        assertThatThrownBy(() -> graphs.addEdge(graph, "can_read", "db", "alice", Map.of())).hasMessageContaining("may not start at a resource");
        assertThatThrownBy(() -> graphs.addEdge(graph, "can_read", "alice", "alice", Map.of())).hasMessageContaining("self-loops");
        assertThatThrownBy(() -> graphs.addEdge(graph, "can_read", "alice", "db", Map.of())).hasMessageContaining("already has");
        assertThatThrownBy(() -> graphs.addEdge(graph, "can_write", "alice", "db", Map.of())).hasMessageContaining("no edge type 'can_write'");
        assertThatThrownBy(() -> graphs.addEdge(graph, "can_read", "alice", "nowhere", Map.of())).hasMessageContaining("no node 'nowhere'");
        assertThat(graphs.edges(graph)).hasSize(1);
    }

    @Test
    void openingAgainMigratesNothingAndKeepsTheData() {
        String graph = graphs.createGraph(graphType, "g", "owner");
        graphs.addNode(graph, "alice", Map.of("type", "principal", "scopes", java.util.List.of("relay:connect")));
        storage.close();
        storage = Storage.open(options);

        assertThat(storage.graphs().getNode(graph, "alice")).get().extracting(Graphs.Node::attributes)
                .isEqualTo(Map.of("type", "principal", "scopes", java.util.List.of("relay:connect")));
    }
}
