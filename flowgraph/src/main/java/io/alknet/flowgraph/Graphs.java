package io.alknet.flowgraph;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** The few graph algorithms both graphs need, over a successor function; deterministic (insertion order). */
final class Graphs {

    private Graphs() {
    }

    /**
     * Kahn's algorithm: every node after all its predecessors, ties in the order of {@code nodes}.
     *
     * @throws CycleException naming one cycle when there is one
     */
    static List<String> topologicalOrder(Collection<String> nodes, Function<String, Collection<String>> successors) {
        Map<String, Integer> incoming = new LinkedHashMap<>();
        nodes.forEach(node -> incoming.put(node, 0));
        for (String node : nodes) {
            for (String next : successors.apply(node)) {
                incoming.merge(next, 1, Integer::sum);
            }
        }
        Deque<String> ready = new ArrayDeque<>();
        incoming.forEach((node, count) -> {
            if (count == 0) {
                ready.add(node);
            }
        });
        List<String> order = new ArrayList<>(nodes.size());
        while (!ready.isEmpty()) {
            String node = ready.poll();
            order.add(node);
            for (String next : successors.apply(node)) {
                if (incoming.merge(next, -1, Integer::sum) == 0) {
                    ready.add(next);
                }
            }
        }
        if (order.size() < incoming.size()) {
            throw new CycleException(findCycle(nodes, successors).orElseThrow());
        }
        return order;
    }

    /** One cycle, the first node repeated at the end; empty for a DAG. Iterative, so deep graphs do not overflow the stack. */
    static Optional<List<String>> findCycle(Collection<String> nodes, Function<String, Collection<String>> successors) {
        Map<String, Integer> state = new HashMap<>(); // absent: unseen, 1: on the path, 2: done
        for (String start : nodes) {
            if (state.containsKey(start)) {
                continue;
            }
            List<String> path = new ArrayList<>();
            Deque<java.util.Iterator<String>> pending = new ArrayDeque<>();
            path.add(start);
            state.put(start, 1);
            pending.push(successors.apply(start).iterator());
            while (!pending.isEmpty()) {
                java.util.Iterator<String> next = pending.peek();
                if (!next.hasNext()) {
                    pending.pop();
                    state.put(path.removeLast(), 2);
                    continue;
                }
                String node = next.next();
                Integer seen = state.get(node);
                if (seen == null) {
                    state.put(node, 1);
                    path.add(node);
                    pending.push(successors.apply(node).iterator());
                } else if (seen == 1) {
                    List<String> cycle = new ArrayList<>(path.subList(path.indexOf(node), path.size()));
                    cycle.add(node);
                    return Optional.of(cycle);
                }
            }
        }
        return Optional.empty();
    }

    /** Everything reachable from {@code start} (not itself), breadth first. */
    static Set<String> reachable(String start, Function<String, Collection<String>> successors) {
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> queue = new ArrayDeque<>(successors.apply(start));
        while (!queue.isEmpty()) {
            String node = queue.poll();
            if (!node.equals(start) && seen.add(node)) {
                queue.addAll(successors.apply(node));
            }
        }
        return seen;
    }
}
