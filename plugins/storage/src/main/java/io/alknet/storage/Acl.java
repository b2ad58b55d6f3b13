package io.alknet.storage;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.api.Identity;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Access control as a metagraph (spec §8.1): a directed graph of {@code principal} nodes (accounts, organisations,
 * services, roles, each with scopes) and {@code resource} nodes (a type and a key), joined by {@code can_read},
 * {@code can_write} and {@code can_execute} (principal → resource), {@code belongs_to} (member → group) and
 * {@code delegates} (delegator → delegate, with {@code narrowed_scopes} and {@code narrowable}).
 *
 * <p>What a principal may do, its grants: its own scopes and resource permissions; everything a group it belongs
 * to may do; and, through each delegation to it, what the delegator may pass on, narrowed to the delegation's
 * {@code narrowed_scopes}. A resource permission passes a delegation when {@code narrowed_scopes} names it as
 * {@code <type>:<action>} ({@code database:read}). A grant received through a delegation whose {@code narrowable}
 * is false is the delegate's to use but not to pass on: a second hop receives nothing of it. Permissions flow down
 * and only narrow; the delegator stays liable. A delegation may name only scopes its delegator holds.
 *
 * <p>Threading: thread-safe; methods block on the database. Evaluation reads the whole graph once per call.
 */
public final class Acl {

    /** The ACL graph's type and graph name. */
    public static final String GRAPH = "acl";

    /** What a principal is. */
    public enum IdentityType { ACCOUNT, ORG, SERVICE, ROLE }

    /** What a principal may do to a resource. */
    public enum Action { READ, WRITE, EXECUTE }

    /** What an operation requires (spec §3.4): all of {@code scopes}, one of {@code anyOf} if any, and the resource action. */
    public record Requirement(Set<String> scopes, Set<String> anyOf, Optional<String> resourceType, Optional<Action> resourceAction) {
        public Requirement {
            scopes = Set.copyOf(scopes);
            anyOf = Set.copyOf(anyOf);
            Objects.requireNonNull(resourceType, "resourceType");
            Objects.requireNonNull(resourceAction, "resourceAction");
        }
    }

    private record Grant(String name, boolean delegable) {
    }

    private final Storage storage;
    private final String graphId;

    private Acl(Storage storage, String graphId) {
        this.storage = storage;
        this.graphId = graphId;
    }

    /** The storage's ACL graph, created with its types on first use. */
    public static Acl of(Storage storage) {
        Optional<String> existing = find(storage);
        if (existing.isPresent()) {
            return new Acl(storage, existing.get());
        }
        Graphs graphs = storage.graphs();
        String type = graphs.createGraphType(GRAPH, Map.of("direction", "directed", "multi", false, "allow_self_loops", false), "system");
        graphs.addNodeType(type, "principal", Map.of("type", "object", "required", List.of("identity_type", "identity_id", "scopes")));
        graphs.addNodeType(type, "resource", Map.of("type", "object", "required", List.of("resource_type")));
        for (String edge : List.of("can_read", "can_write", "can_execute")) {
            graphs.addEdgeType(type, edge, Set.of("principal"), Set.of("resource"));
        }
        graphs.addEdgeType(type, "belongs_to", Set.of("principal"), Set.of("principal"));
        graphs.addEdgeType(type, "delegates", Set.of("principal"), Set.of("principal"));
        return new Acl(storage, graphs.createGraph(type, GRAPH, "system"));
    }

    /** The storage's ACL graph if it has one. */
    public static Optional<Acl> existing(Storage storage) {
        return find(storage).map(id -> new Acl(storage, id));
    }

    private static Optional<String> find(Storage storage) {
        return storage.read(tx -> tx.queryOne("SELECT g.id FROM graphs g JOIN graph_types t ON t.id = g.graph_type_id "
                + "WHERE t.name = ? AND g.name = ?", row -> row.getString(1), GRAPH, GRAPH));
    }

    /** The node key of an account's principal. */
    public static String accountKey(String accountId) {
        return "account:" + accountId;
    }

    /** The node key of an organisation's principal. */
    public static String orgKey(String orgId) {
        return "org:" + orgId;
    }

    /**
     * Derives the {@code belongs_to} edge of a membership in {@code tx}, the transaction that wrote the
     * {@code organization_members} row (spec §8.1: the table is the source of truth, the edge follows it): added or
     * removed when the ACL graph has principals for both the account and the organisation.
     */
    static void membershipChanged(Transaction tx, String orgId, String accountId, boolean member) {
        Optional<String> graph = tx.queryOne("SELECT g.id FROM graphs g JOIN graph_types t ON t.id = g.graph_type_id "
                + "WHERE t.name = ? AND g.name = ?", row -> row.getString(1), GRAPH, GRAPH);
        if (graph.isEmpty()) {
            return;
        }
        String account = accountKey(accountId);
        String org = orgKey(orgId);
        tx.update("DELETE FROM edges WHERE graph_id = ? AND edge_type = 'belongs_to' AND source_node_key = ? AND target_node_key = ?",
                graph.get(), account, org);
        long principals = tx.queryOne("SELECT COUNT(*) FROM nodes WHERE graph_id = ? AND node_key IN (?, ?)", row -> row.getLong(1),
                graph.get(), account, org).orElse(0L);
        if (member && principals == 2) {
            String id = java.util.UUID.randomUUID().toString();
            tx.update("INSERT INTO edges (id, graph_id, edge_type, source_node_key, target_node_key, attributes, created_at, updated_at) "
                    + "VALUES (?, ?, 'belongs_to', ?, ?, '{}', ?, ?)", id, graph.get(), account, org, tx.now(), tx.now());
            tx.emit("edges:created", id, Map.of("graph_id", graph.get(), "type", "belongs_to"));
        }
    }

    public void addPrincipal(String key, IdentityType type, String identityId, Set<String> scopes) {
        storage.graphs().addNode(graphId, key, Map.of("type", "principal", "identity_type", type.name().toLowerCase(java.util.Locale.ROOT),
                "identity_id", identityId, "scopes", List.copyOf(new TreeSet<>(scopes))));
    }

    public void addResource(String key, String resourceType) {
        storage.graphs().addNode(graphId, key, Map.of("type", "resource", "resource_type", resourceType));
    }

    public void grant(String principal, Action action, String resource) {
        storage.graphs().addEdge(graphId, "can_" + action.name().toLowerCase(java.util.Locale.ROOT), principal, resource, Map.of());
    }

    public void belongsTo(String member, String group) {
        storage.graphs().addEdge(graphId, "belongs_to", member, group, Map.of());
    }

    /**
     * Lets {@code delegate} use {@code narrowedScopes} of what {@code delegator} may pass on.
     *
     * @param narrowable whether the delegate may pass them on in turn
     * @throws AlknetException {@code INVALID_ARGUMENT} when the delegator holds not every one of {@code narrowedScopes}
     */
    public void delegate(String delegator, String delegate, Set<String> narrowedScopes, boolean narrowable) {
        Set<String> held = grantNames(effective().getOrDefault(delegator, Map.of()).keySet());
        Set<String> beyond = new TreeSet<>(narrowedScopes);
        beyond.removeAll(held);
        if (!beyond.isEmpty()) {
            throw new AlknetException(ErrorCode.INVALID_ARGUMENT, delegator + " cannot delegate what it does not hold: " + beyond);
        }
        storage.graphs().addEdge(graphId, "delegates", delegator, delegate,
                Map.of("narrowed_scopes", List.copyOf(new TreeSet<>(narrowedScopes)), "narrowable", narrowable));
    }

    /** The principal's scopes and resource permissions ({@code <type>:<key>} → actions), as an identity carries them. */
    public Identity identityOf(String principal, String name) {
        Map<Grant, Boolean> grants = effective().getOrDefault(principal, Map.of());
        Set<String> scopes = new TreeSet<>();
        Map<String, Set<String>> resources = new TreeMap<>();
        for (Grant grant : grants.keySet()) {
            if (grant.name().startsWith("resource ")) {
                String[] parts = grant.name().split(" ", 4); // resource <type> <key> <action>
                resources.computeIfAbsent(parts[1] + ":" + parts[2], key -> new TreeSet<>()).add(parts[3]);
            } else {
                scopes.add(grant.name());
            }
        }
        Map<String, List<String>> listed = new TreeMap<>();
        resources.forEach((key, actions) -> listed.put(key, List.copyOf(actions)));
        return new Identity(principal, name, scopes, listed);
    }

    /** Spec §3.4: all required scopes, one of the any-of scopes when there are some, and the resource action. */
    public static boolean allows(Identity identity, Requirement requirement) {
        if (!identity.scopes().containsAll(requirement.scopes())) {
            return false;
        }
        if (!requirement.anyOf().isEmpty() && requirement.anyOf().stream().noneMatch(identity.scopes()::contains)) {
            return false;
        }
        if (requirement.resourceType().isPresent() && requirement.resourceAction().isPresent()) {
            String prefix = requirement.resourceType().get() + ":";
            String action = requirement.resourceAction().get().name().toLowerCase(java.util.Locale.ROOT);
            return identity.resources().entrySet().stream()
                    .anyMatch(entry -> entry.getKey().startsWith(prefix) && entry.getValue().contains(action));
        }
        return true;
    }

    /** Every principal's grants, to a fixpoint: grants only grow and are finite, so cycles end. */
    private Map<String, Map<Grant, Boolean>> effective() {
        List<Graphs.Node> nodes = storage.graphs().nodes(graphId);
        List<Graphs.Edge> edges = storage.graphs().edges(graphId);
        Map<String, Graphs.Node> byKey = new HashMap<>();
        nodes.forEach(node -> byKey.put(node.key(), node));
        Map<String, Map<Grant, Boolean>> grants = new LinkedHashMap<>();
        for (Graphs.Node node : nodes) {
            if (!node.type().equals("principal")) {
                continue;
            }
            Map<Grant, Boolean> own = new LinkedHashMap<>();
            for (Object scope : (List<?>) node.attributes().getOrDefault("scopes", List.of())) {
                own.put(new Grant(String.valueOf(scope), true), true);
            }
            grants.put(node.key(), own);
        }
        for (Graphs.Edge edge : edges) {
            if (edge.type().startsWith("can_") && grants.containsKey(edge.source()) && byKey.containsKey(edge.target())) {
                String type = String.valueOf(byKey.get(edge.target()).attributes().get("resource_type"));
                grants.get(edge.source()).put(new Grant("resource " + type + " " + edge.target() + " " + edge.type().substring(4), true), true);
            }
        }
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Graphs.Edge edge : edges) {
                // a member receives from its group; a delegate from its delegator
                boolean membership = edge.type().equals("belongs_to");
                Map<Grant, Boolean> from = grants.get(membership ? edge.target() : edge.source());
                Map<Grant, Boolean> to = grants.get(membership ? edge.source() : edge.target());
                if (from == null || to == null) {
                    continue;
                }
                switch (edge.type()) {
                    case "belongs_to" -> {
                        for (Grant grant : List.copyOf(from.keySet())) {
                            changed |= to.putIfAbsent(grant, true) == null;
                        }
                    }
                    case "delegates" -> {
                        Set<String> narrowed = new TreeSet<>();
                        ((List<?>) edge.attributes().getOrDefault("narrowed_scopes", List.of())).forEach(scope -> narrowed.add(String.valueOf(scope)));
                        boolean narrowable = Boolean.TRUE.equals(edge.attributes().get("narrowable"));
                        for (Grant grant : List.copyOf(from.keySet())) {
                            if (grant.delegable() && narrowed.contains(delegationName(grant))) {
                                Grant passed = new Grant(grant.name(), narrowable);
                                changed |= to.putIfAbsent(passed, true) == null;
                            }
                        }
                    }
                    default -> {
                        // can_* edges were applied above
                    }
                }
            }
        }
        return grants;
    }

    /** The name a delegation's narrowed_scopes use for a grant: the scope, or {@code <type>:<action>} for a resource. */
    private static String delegationName(Grant grant) {
        if (grant.name().startsWith("resource ")) {
            String[] parts = grant.name().split(" ", 4);
            return parts[1] + ":" + parts[3];
        }
        return grant.name();
    }

    private static Set<String> grantNames(Set<Grant> grants) {
        Set<String> names = new TreeSet<>();
        grants.forEach(grant -> names.add(delegationName(grant)));
        return names;
    }
}
