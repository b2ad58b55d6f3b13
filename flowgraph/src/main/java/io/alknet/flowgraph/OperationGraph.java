package io.alknet.flowgraph;

import io.alknet.api.call.OperationSpec;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The operations of a node and which could feed which (spec §8.3, the static graph): one node per spec, a
 * {@link TypedEdge} from A to B when A's output schema relates to B's input schema (see {@link SchemaCompatibility};
 * never from an operation to itself). Built once from the registered specs; immutable, so thread-safe.
 *
 * <p>The graph of compatible edges must be acyclic: construction refuses a cycle with {@link CycleException}.
 * Incompatible edges are information for the author (a near miss) and do not count as cycles.
 */
public final class OperationGraph {

    private final Map<String, OperationSpec> operations;
    private final List<TypedEdge> edges;
    private final Map<String, List<String>> successors = new LinkedHashMap<>();
    private final Map<String, List<String>> predecessors = new LinkedHashMap<>();
    private final List<String> order;

    private OperationGraph(Map<String, OperationSpec> operations, List<TypedEdge> edges) {
        this.operations = operations;
        this.edges = List.copyOf(edges);
        operations.keySet().forEach(path -> {
            successors.put(path, new ArrayList<>());
            predecessors.put(path, new ArrayList<>());
        });
        for (TypedEdge edge : edges) {
            if (edge.compatible()) {
                successors.get(edge.from()).add(edge.to());
                predecessors.get(edge.to()).add(edge.from());
            }
        }
        order = Graphs.topologicalOrder(operations.keySet(), successors::get);
    }

    /**
     * @throws CycleException           when compatible edges form a cycle (the exception names it)
     * @throws IllegalArgumentException when two specs share a path
     */
    public static OperationGraph of(Collection<OperationSpec> specs) {
        Map<String, OperationSpec> operations = new LinkedHashMap<>();
        for (OperationSpec spec : specs) {
            if (operations.putIfAbsent(spec.path(), spec) != null) {
                throw new IllegalArgumentException("two operations share the path " + spec.path());
            }
        }
        List<TypedEdge> edges = new ArrayList<>();
        for (OperationSpec from : operations.values()) {
            for (OperationSpec to : operations.values()) {
                if (from != to) {
                    SchemaCompatibility.edge(from.path(), from.outputSchema(), to.path(), to.inputSchema()).ifPresent(edges::add);
                }
            }
        }
        return new OperationGraph(java.util.Collections.unmodifiableMap(operations), edges);
    }

    public Collection<OperationSpec> operations() {
        return operations.values();
    }

    public Optional<OperationSpec> find(String path) {
        return Optional.ofNullable(operations.get(path));
    }

    /** Every edge, compatible or not. */
    public List<TypedEdge> edges() {
        return edges;
    }

    /** Operations whose output feeds {@code path} (compatible edges). */
    public List<String> predecessors(String path) {
        return List.copyOf(known(path, predecessors));
    }

    /** Operations {@code path}'s output feeds (compatible edges). */
    public List<String> successors(String path) {
        return List.copyOf(known(path, successors));
    }

    public Set<String> ancestors(String path) {
        known(path, predecessors);
        return Set.copyOf(Graphs.reachable(path, predecessors::get));
    }

    public Set<String> descendants(String path) {
        known(path, successors);
        return Set.copyOf(Graphs.reachable(path, successors::get));
    }

    /** Operations nothing feeds. */
    public List<String> roots() {
        List<String> roots = new ArrayList<>();
        predecessors.forEach((path, from) -> {
            if (from.isEmpty()) {
                roots.add(path);
            }
        });
        return roots;
    }

    /** Every operation after those that feed it. */
    public List<String> topologicalOrder() {
        return order;
    }

    private static List<String> known(String path, Map<String, List<String>> adjacency) {
        List<String> list = adjacency.get(path);
        if (list == null) {
            throw new IllegalArgumentException("no operation " + path + " in the graph");
        }
        return list;
    }

    /** The paths in the graph, for callers that only need them. */
    public Set<String> paths() {
        return new LinkedHashSet<>(operations.keySet());
    }
}
