package io.alknet.flowgraph;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The calls of one node and who triggered whom (spec §8.3, the dynamic graph), fed live from call events:
 * {@link #requested} adds a {@code PENDING} call with a {@link EdgeType#TRIGGERED} edge from its parent when the parent
 * is in this graph (a parent on another node leaves the call a root here, its parent id kept);
 * {@link #running}, {@link #completed}, {@link #failed} and {@link #aborted} move it along the status machine of
 * {@link CallStatus}, refusing any other move with {@link InvalidTransitionException}. Aborting a call aborts every
 * descendant still pending or running (the cascade). The graph stays a DAG without self-loops or parallel edges:
 * {@link #dependsOn} refuses an edge that would close a cycle with {@link CycleException}.
 *
 * <p>Memory is bounded: past {@code capacity} calls the oldest call trees whose every call has ended are dropped,
 * whole. Trees still running are never dropped, so the graph may exceed its capacity while many calls run.
 *
 * <p>Threading: call events arrive from many threads at once (I/O threads and handlers' virtual threads). Every
 * method is thread-safe and atomic (one lock); none blocks beyond that lock or does I/O; results are snapshots.
 */
public final class CallGraph {

    private final int capacity;
    private final Clock clock;
    private final Map<String, CallNode> nodes = new LinkedHashMap<>();
    private final Map<String, Set<String>> triggered = new LinkedHashMap<>();
    private final Map<String, Set<String>> dependsOn = new LinkedHashMap<>();
    private final Map<String, Set<String>> incoming = new LinkedHashMap<>();
    /** Calls without a parent in this graph, oldest first: the eviction order. */
    private final Set<String> roots = new LinkedHashSet<>();

    /**
     * @param capacity how many calls to keep before dropping finished trees
     * @param clock    the time of each event
     */
    public CallGraph(int capacity, Clock clock) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive, got " + capacity);
        }
        this.capacity = capacity;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * A call was requested ({@code call.requested}): it is {@code PENDING}.
     *
     * @throws InvalidTransitionException when a call with this id is already in the graph
     * @throws CycleException             when the call names itself as its parent
     */
    public synchronized CallNode requested(String requestId, String operation, Optional<String> parentRequestId, String caller) {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(parentRequestId, "parentRequestId");
        if (parentRequestId.isPresent() && parentRequestId.get().equals(requestId)) {
            throw new CycleException(List.of(requestId, requestId));
        }
        if (nodes.containsKey(requestId)) {
            throw new InvalidTransitionException("call " + requestId + " is already in the graph");
        }
        CallNode node = new CallNode(requestId, operation, parentRequestId, caller, CallStatus.PENDING, clock.instant(),
                Optional.empty(), Optional.empty(), Optional.empty());
        nodes.put(requestId, node);
        if (parentRequestId.isPresent() && nodes.containsKey(parentRequestId.get())) {
            link(triggered, parentRequestId.get(), requestId);
        } else {
            roots.add(requestId);
        }
        evict();
        return node;
    }

    /** The call's handler started. */
    public synchronized CallNode running(String requestId) {
        return move(requestId, CallStatus.RUNNING, Optional.empty());
    }

    /** The call answered ({@code call.responded} for a call, {@code call.completed} for a subscription). */
    public synchronized CallNode completed(String requestId) {
        return move(requestId, CallStatus.COMPLETED, Optional.empty());
    }

    /** The call failed ({@code call.error}); {@code error} says why, e.g. {@code "TIMEOUT: ..."}. */
    public synchronized CallNode failed(String requestId, String error) {
        return move(requestId, CallStatus.FAILED, Optional.of(error));
    }

    /**
     * The call was aborted ({@code call.aborted}), and with it every descendant still pending or running.
     *
     * @return the descendants this aborted, parents before children (the caller tells their handlers)
     */
    public synchronized List<String> aborted(String requestId, String reason) {
        move(requestId, CallStatus.ABORTED, Optional.of(reason));
        List<String> cascaded = new ArrayList<>();
        for (String descendant : Graphs.reachable(requestId, this::successors)) {
            CallNode node = nodes.get(descendant);
            if (!node.status().isTerminal()) {
                nodes.put(descendant, node.moved(CallStatus.ABORTED, clock.instant(), Optional.of("its caller " + requestId + " was aborted")));
                cascaded.add(descendant);
            }
        }
        return cascaded;
    }

    /**
     * Records that {@code from} waits for {@code to}, which it did not make.
     *
     * @throws CycleException       when {@code to} already leads back to {@code from} (or they are one call)
     * @throws IllegalArgumentException when either call is unknown or an edge between them exists
     */
    public synchronized void dependsOn(String from, String to) {
        known(from);
        known(to);
        if (from.equals(to)) {
            throw new CycleException(List.of(from, to));
        }
        if (successors(from).contains(to)) {
            throw new IllegalArgumentException("calls " + from + " and " + to + " are linked already: no parallel edges");
        }
        if (Graphs.reachable(to, this::successors).contains(from)) {
            List<String> cycle = new ArrayList<>(lineageWithin(to, from));
            cycle.add(to);
            throw new CycleException(cycle);
        }
        link(dependsOn, from, to);
    }

    // ---- queries ----

    public synchronized Optional<CallNode> find(String requestId) {
        return Optional.ofNullable(nodes.get(requestId));
    }

    public synchronized int size() {
        return nodes.size();
    }

    /** Calls without a parent in this graph, oldest first. */
    public synchronized List<CallNode> roots() {
        return roots.stream().map(nodes::get).toList();
    }

    /** The calls {@code requestId}'s handler made, in the order they were requested. */
    public synchronized List<CallNode> children(String requestId) {
        known(requestId);
        return triggered.getOrDefault(requestId, Set.of()).stream().map(nodes::get).toList();
    }

    /** Direct successors over every edge type. */
    public synchronized List<String> successorsOf(String requestId) {
        known(requestId);
        return List.copyOf(successors(requestId));
    }

    /** Direct predecessors over every edge type. */
    public synchronized List<String> predecessorsOf(String requestId) {
        known(requestId);
        return List.copyOf(incoming.getOrDefault(requestId, Set.of()));
    }

    /** Everything that leads to {@code requestId}, over every edge type. */
    public synchronized Set<String> ancestors(String requestId) {
        known(requestId);
        return Set.copyOf(Graphs.reachable(requestId, node -> incoming.getOrDefault(node, Set.of())));
    }

    /** Everything {@code requestId} leads to (its reachable set), over every edge type. */
    public synchronized Set<String> descendants(String requestId) {
        known(requestId);
        return Set.copyOf(Graphs.reachable(requestId, this::successors));
    }

    /** The chain of {@code triggered} parents from the root down to {@code requestId} itself. */
    public synchronized List<CallNode> lineage(String requestId) {
        known(requestId);
        List<CallNode> chain = new ArrayList<>();
        CallNode node = nodes.get(requestId);
        while (node != null) {
            chain.addFirst(node);
            node = roots.contains(node.requestId()) ? null : node.parentRequestId().map(nodes::get).orElse(null);
        }
        return chain;
    }

    /** {@code requestId} and its descendants, every call after its predecessors. */
    public synchronized List<CallNode> tree(String requestId) {
        known(requestId);
        Set<String> members = new LinkedHashSet<>();
        members.add(requestId);
        members.addAll(Graphs.reachable(requestId, this::successors));
        return Graphs.topologicalOrder(members, node -> successors(node).stream().filter(members::contains).toList())
                .stream().map(nodes::get).toList();
    }

    /** Every call, each after its predecessors. */
    public synchronized List<CallNode> topologicalOrder() {
        return Graphs.topologicalOrder(nodes.keySet(), this::successors).stream().map(nodes::get).toList();
    }

    /** A cycle if there is one: never, as long as the invariants hold. */
    public synchronized Optional<List<String>> findCycle() {
        return Graphs.findCycle(nodes.keySet(), this::successors);
    }

    /** The calls in {@code status}, in the order they were requested. */
    public synchronized List<CallNode> withStatus(CallStatus status) {
        return nodes.values().stream().filter(node -> node.status() == status).toList();
    }

    /** How long the call ran; empty while it runs. */
    public synchronized Optional<Duration> duration(String requestId) {
        known(requestId);
        return nodes.get(requestId).duration();
    }

    public synchronized List<CallEdge> edges() {
        List<CallEdge> edges = new ArrayList<>();
        triggered.forEach((from, targets) -> targets.forEach(to -> edges.add(new CallEdge(from, to, EdgeType.TRIGGERED))));
        dependsOn.forEach((from, targets) -> targets.forEach(to -> edges.add(new CallEdge(from, to, EdgeType.DEPENDS_ON))));
        return edges;
    }

    // ---- internals (under the lock) ----

    private CallNode move(String requestId, CallStatus next, Optional<String> why) {
        CallNode node = nodes.get(requestId);
        if (node == null) {
            throw new InvalidTransitionException("no call " + requestId + " in the graph");
        }
        if (!node.status().canMoveTo(next)) {
            throw new InvalidTransitionException("call " + requestId + " cannot go from " + node.status() + " to " + next);
        }
        CallNode moved = node.moved(next, clock.instant(), why);
        nodes.put(requestId, moved);
        return moved;
    }

    private Collection<String> successors(String node) {
        Set<String> out = new LinkedHashSet<>(triggered.getOrDefault(node, Set.of()));
        out.addAll(dependsOn.getOrDefault(node, Set.of()));
        return out;
    }

    private void link(Map<String, Set<String>> edges, String from, String to) {
        edges.computeIfAbsent(from, key -> new LinkedHashSet<>()).add(to);
        incoming.computeIfAbsent(to, key -> new LinkedHashSet<>()).add(from);
    }

    private void known(String requestId) {
        if (!nodes.containsKey(requestId)) {
            throw new IllegalArgumentException("no call " + requestId + " in the graph");
        }
    }

    /** A path from {@code from} to {@code to} along successors (one exists). */
    private List<String> lineageWithin(String from, String to) {
        Map<String, String> cameFrom = new LinkedHashMap<>();
        java.util.Deque<String> queue = new java.util.ArrayDeque<>(List.of(from));
        while (!queue.isEmpty()) {
            String node = queue.poll();
            if (node.equals(to)) {
                break;
            }
            for (String next : successors(node)) {
                if (cameFrom.putIfAbsent(next, node) == null) {
                    queue.add(next);
                }
            }
        }
        List<String> path = new ArrayList<>();
        for (String node = to; node != null && !node.equals(from); node = cameFrom.get(node)) {
            path.addFirst(node);
        }
        path.addFirst(from);
        return path;
    }

    private void evict() {
        if (nodes.size() <= capacity) {
            return;
        }
        for (java.util.Iterator<String> oldest = roots.iterator(); oldest.hasNext() && nodes.size() > capacity; ) {
            String root = oldest.next();
            Set<String> tree = new LinkedHashSet<>();
            tree.add(root);
            tree.addAll(Graphs.reachable(root, node -> triggered.getOrDefault(node, Set.of())));
            if (tree.stream().allMatch(id -> nodes.get(id).status().isTerminal())) {
                oldest.remove();
                tree.forEach(this::remove);
            }
        }
    }

    private void remove(String id) {
        nodes.remove(id);
        for (Map<String, Set<String>> edges : List.of(triggered, dependsOn)) {
            for (String to : edges.getOrDefault(id, Set.of())) {
                Set<String> in = incoming.get(to);
                if (in != null) {
                    in.remove(id);
                }
            }
            edges.remove(id);
        }
        for (String from : incoming.getOrDefault(id, Set.of())) {
            triggered.getOrDefault(from, new LinkedHashSet<>()).remove(id);
            dependsOn.getOrDefault(from, new LinkedHashSet<>()).remove(id);
        }
        incoming.remove(id);
    }
}
