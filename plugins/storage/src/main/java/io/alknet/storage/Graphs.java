package io.alknet.storage;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.storage.internal.Json;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The metagraph: graph types with their node and edge types, graphs, nodes and edges. An edge's type must be one
 * of its graph type's edge types, its endpoints of the node types that edge type allows, and the graph type's
 * config decides self-loops and parallel edges. Every change emits {@code graphs:…}, {@code nodes:…} or
 * {@code edges:…}.
 *
 * <p>Threading: thread-safe; every method blocks on the database.
 */
public final class Graphs {

    /** A node: its key is unique in its graph; {@code attributes.type} names its node type. */
    public record Node(String id, String graphId, String key, Map<String, Object> attributes) {
        public Node {
            attributes = Map.copyOf(attributes);
        }

        public String type() {
            return String.valueOf(attributes.getOrDefault("type", ""));
        }
    }

    /** An edge of type {@code type} from node {@code source} to node {@code target} (keys). */
    public record Edge(String id, String graphId, String type, String source, String target, Map<String, Object> attributes) {
        public Edge {
            attributes = Map.copyOf(attributes);
        }
    }

    private final Storage storage;

    Graphs(Storage storage) {
        this.storage = Objects.requireNonNull(storage, "storage");
    }

    /** Creates a graph type; {@code config} holds {@code direction}, {@code multi} and {@code allow_self_loops}. */
    public String createGraphType(String name, Map<String, Object> config, String scope) {
        return storage.write(tx -> {
            String id = UUID.randomUUID().toString();
            tx.update("INSERT INTO graph_types (id, name, config, scope, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                    id, name, Json.write(config), scope, tx.now(), tx.now());
            changed(tx, "graph_types:created", id, Map.of("id", id, "name", name));
            return id;
        });
    }

    public void addNodeType(String graphTypeId, String name, Map<String, Object> jsonSchema) {
        storage.write(tx -> {
            String id = UUID.randomUUID().toString();
            tx.update("INSERT INTO node_types (id, graph_type_id, name, json_schema, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                    id, graphTypeId, name, Json.write(jsonSchema), tx.now(), tx.now());
            changed(tx, "node_types:created", id, Map.of("graph_type_id", graphTypeId, "name", name));
            return null;
        });
    }

    /** Adds an edge type; an empty endpoint set allows every node type. */
    public void addEdgeType(String graphTypeId, String name, Set<String> sources, Set<String> targets) {
        storage.write(tx -> {
            String id = UUID.randomUUID().toString();
            tx.update("INSERT INTO edge_types (id, graph_type_id, name, allowed_source_types, allowed_target_types, created_at, updated_at) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?)", id, graphTypeId, name, Json.write(List.copyOf(sources)), Json.write(List.copyOf(targets)),
                    tx.now(), tx.now());
            changed(tx, "edge_types:created", id, Map.of("graph_type_id", graphTypeId, "name", name));
            return null;
        });
    }

    public String createGraph(String graphTypeId, String name, String ownerId) {
        return storage.write(tx -> {
            String id = UUID.randomUUID().toString();
            tx.update("INSERT INTO graphs (id, graph_type_id, name, status, owner_id, created_at, updated_at) VALUES (?, ?, ?, 'active', ?, ?, ?)",
                    id, graphTypeId, name, ownerId, tx.now(), tx.now());
            changed(tx, "graphs:created", id, Map.of("id", id));
            return id;
        });
    }

    /** Deletes a graph with its nodes and edges (the foreign keys cascade). */
    public boolean deleteGraph(String graphId) {
        return storage.write(tx -> {
            int deleted = tx.update("DELETE FROM graphs WHERE id = ?", graphId);
            if (deleted > 0) {
                changed(tx, "graphs:deleted", graphId, Map.of("id", graphId));
            }
            return deleted > 0;
        });
    }

    public Node addNode(String graphId, String key, Map<String, Object> attributes) {
        return storage.write(tx -> {
            String id = UUID.randomUUID().toString();
            tx.update("INSERT INTO nodes (id, graph_id, node_key, attributes, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                    id, graphId, key, Json.write(attributes), tx.now(), tx.now());
            changed(tx, "nodes:created", id, Map.of("graph_id", graphId, "key", key));
            return new Node(id, graphId, key, attributes);
        });
    }

    public Node updateNode(String graphId, String key, Map<String, Object> attributes) {
        return storage.write(tx -> {
            Node node = node(tx, graphId, key).orElseThrow(() -> new AlknetException(ErrorCode.INVALID_ARGUMENT, "no node '" + key + "'"));
            tx.update("UPDATE nodes SET attributes = ?, updated_at = ? WHERE id = ?", Json.write(attributes), tx.now(), node.id());
            changed(tx, "nodes:updated", node.id(), Map.of("graph_id", graphId, "key", key));
            return new Node(node.id(), graphId, key, attributes);
        });
    }

    public boolean deleteNode(String graphId, String key) {
        return storage.write(tx -> {
            Optional<Node> node = node(tx, graphId, key);
            node.ifPresent(found -> {
                tx.update("DELETE FROM nodes WHERE id = ?", found.id());
                changed(tx, "nodes:deleted", found.id(), Map.of("graph_id", graphId, "key", key));
            });
            return node.isPresent();
        });
    }

    public Optional<Node> getNode(String graphId, String key) {
        return storage.read(tx -> node(tx, graphId, key));
    }

    public List<Node> nodes(String graphId) {
        return storage.read(tx -> tx.query("SELECT * FROM nodes WHERE graph_id = ? ORDER BY node_key", Graphs::node, graphId));
    }

    /** Adds an edge, checking its type, its endpoints' types, self-loops and parallel edges against the graph's type. */
    public Edge addEdge(String graphId, String type, String source, String target, Map<String, Object> attributes) {
        return storage.write(tx -> {
            Map<String, Object> config = tx.queryOne("SELECT t.config FROM graphs g JOIN graph_types t ON t.id = g.graph_type_id WHERE g.id = ?",
                    row -> Json.object(row.getString(1)), graphId).orElseThrow(() -> invalid("graph " + graphId + " has no graph type"));
            EdgeRule rule = tx.queryOne("SELECT e.allowed_source_types, e.allowed_target_types FROM graphs g JOIN edge_types e "
                            + "ON e.graph_type_id = g.graph_type_id WHERE g.id = ? AND e.name = ?",
                    row -> new EdgeRule(Json.strings(row.getString(1)), Json.strings(row.getString(2))), graphId, type)
                    .orElseThrow(() -> invalid("the graph's type has no edge type '" + type + "'"));
            Node from = node(tx, graphId, source).orElseThrow(() -> invalid("no node '" + source + "'"));
            Node to = node(tx, graphId, target).orElseThrow(() -> invalid("no node '" + target + "'"));
            if (source.equals(target) && !Boolean.TRUE.equals(config.get("allow_self_loops"))) {
                throw invalid("the graph's type allows no self-loops (" + source + ")");
            }
            if (!rule.sources().isEmpty() && !rule.sources().contains(from.type())) {
                throw invalid(type + " may not start at a " + from.type() + " node (" + source + ")");
            }
            if (!rule.targets().isEmpty() && !rule.targets().contains(to.type())) {
                throw invalid(type + " may not end at a " + to.type() + " node (" + target + ")");
            }
            if (!Boolean.TRUE.equals(config.get("multi")) && tx.queryOne("SELECT id FROM edges WHERE graph_id = ? AND edge_type = ? "
                    + "AND source_node_key = ? AND target_node_key = ?", row -> row.getString(1), graphId, type, source, target).isPresent()) {
                throw invalid("the graph already has " + type + " from " + source + " to " + target);
            }
            String id = UUID.randomUUID().toString();
            tx.update("INSERT INTO edges (id, graph_id, edge_type, source_node_key, target_node_key, attributes, created_at, updated_at) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", id, graphId, type, source, target, Json.write(attributes), tx.now(), tx.now());
            changed(tx, "edges:created", id, Map.of("graph_id", graphId, "type", type));
            return new Edge(id, graphId, type, source, target, attributes);
        });
    }

    public List<Edge> edges(String graphId) {
        return storage.read(tx -> tx.query("SELECT * FROM edges WHERE graph_id = ? ORDER BY created_at, id", row -> new Edge(
                row.getString("id"), row.getString("graph_id"), row.getString("edge_type"), row.getString("source_node_key"),
                row.getString("target_node_key"), Json.object(row.getString("attributes"))), graphId));
    }

    private record EdgeRule(Set<String> sources, Set<String> targets) {
    }

    /** Every metagraph write: its change event and its audit row ({@code nodes.created}, …), in its transaction. */
    private static void changed(Transaction tx, String topic, String id, Map<String, ?> payload) {
        tx.emit(topic, id, payload);
        Map<String, Object> details = new java.util.LinkedHashMap<>(payload);
        details.put("id", id);
        Accounts.audit(tx, topic.replace(':', '.'), null, null, null, null, details);
    }

    private static Optional<Node> node(Transaction tx, String graphId, String key) {
        return tx.queryOne("SELECT * FROM nodes WHERE graph_id = ? AND node_key = ?", Graphs::node, graphId, key);
    }

    private static Node node(ResultSet row) throws SQLException {
        return new Node(row.getString("id"), row.getString("graph_id"), row.getString("node_key"), Json.object(row.getString("attributes")));
    }

    private static AlknetException invalid(String message) {
        return new AlknetException(ErrorCode.INVALID_ARGUMENT, message);
    }
}
