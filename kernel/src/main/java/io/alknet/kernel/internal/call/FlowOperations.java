package io.alknet.kernel.internal.call;

import io.alknet.api.call.CallError;
import io.alknet.api.call.Operation;
import io.alknet.api.call.OperationException;
import io.alknet.api.call.OperationSpec;
import io.alknet.api.call.OperationType;
import io.alknet.flowgraph.CallEdge;
import io.alknet.flowgraph.CallGraph;
import io.alknet.flowgraph.CallNode;
import io.alknet.flowgraph.CycleException;
import io.alknet.flowgraph.OperationGraph;
import io.alknet.flowgraph.TypedEdge;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The flowgraph as operations (spec §8.3): {@value #CALLS} shows a call's whole tree as this node saw it (or the latest
 * calls), {@value #OPERATIONS} the operation graph of everything callable here. Both need {@value BuiltIns#STATUS_SCOPE}:
 * they show who called what.
 */
final class FlowOperations {

    static final String CALLS = "/flow/calls";
    static final String OPERATIONS = "/flow/operations";
    /** Latest calls listed without an id. */
    private static final int LATEST = 50;

    private FlowOperations() {
    }

    static boolean isFlow(String path) {
        return path.equals(CALLS) || path.equals(OPERATIONS);
    }

    static void register(OperationTable table, Dispatcher dispatcher) {
        ClassLoader kernel = FlowOperations.class.getClassLoader();
        CallGraph graph = dispatcher.recorder().graph();
        table.register(Operation.of(OperationSpec.builder(CALLS, OperationType.QUERY)
                .description("The tree of the call with this id (every call it triggered, with status and timings); without an id, the latest calls")
                .input(Map.of("type", "object", "properties", Map.of("id", Map.of("type", "string"))))
                .requiredScopes(BuiltIns.STATUS_SCOPE).build(), (input, context) -> {
                    Object id = input instanceof Map<?, ?> map ? map.get("id") : null;
                    return id == null ? latest(graph) : tree(graph, (String) id);
                }), kernel);
        table.register(Operation.of(OperationSpec.builder(OPERATIONS, OperationType.QUERY)
                .description("The operations callable here and which output fits which input (typed edges), in topological order")
                .input(Map.of("type", "object")).requiredScopes(BuiltIns.STATUS_SCOPE).errorCodes("CYCLE").build(), (input, context) -> {
                    List<OperationSpec> specs = new ArrayList<>(table.specs());
                    dispatcher.mesh().ifPresent(mesh -> specs.addAll(mesh.specs()));
                    try {
                        return operations(OperationGraph.of(specs));
                    } catch (CycleException e) {
                        throw new OperationException("CYCLE", "the operations' schemas form a cycle: " + String.join(" -> ", e.cycle()));
                    }
                }), kernel);
    }

    private static Map<String, Object> latest(CallGraph graph) {
        List<CallNode> roots = graph.roots();
        List<Object> calls = new ArrayList<>();
        for (int i = roots.size() - 1; i >= 0 && calls.size() < LATEST; i--) {
            calls.add(json(roots.get(i)));
        }
        return Map.of("calls", calls);
    }

    private static Map<String, Object> tree(CallGraph graph, String id) {
        if (graph.find(id).isEmpty()) {
            throw new OperationException(CallError.OPERATION_NOT_FOUND, "no call " + CallEngine.printable(id)
                    + " in this node's call graph (it keeps the latest " + Calls.GRAPH_CAPACITY + " calls)");
        }
        String root = graph.lineage(id).getFirst().requestId();
        List<Object> calls = new ArrayList<>();
        java.util.Set<String> members = new java.util.HashSet<>();
        for (CallNode node : graph.tree(root)) {
            calls.add(json(node));
            members.add(node.requestId());
        }
        List<Object> edges = new ArrayList<>();
        for (CallEdge edge : graph.edges()) {
            if (members.contains(edge.from())) {
                edges.add(Map.of("from", edge.from(), "to", edge.to(), "type", edge.type().name().toLowerCase(Locale.ROOT)));
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("root", root);
        out.put("calls", calls);
        out.put("edges", edges);
        return out;
    }

    private static Map<String, Object> json(CallNode node) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("requestId", node.requestId());
        json.put("operation", node.operation());
        node.parentRequestId().ifPresent(parent -> json.put("parentRequestId", parent));
        json.put("caller", node.caller());
        json.put("status", node.status().name().toLowerCase(Locale.ROOT));
        json.put("requestedAt", node.requestedAt().toEpochMilli());
        node.startedAt().ifPresent(at -> json.put("startedAt", at.toEpochMilli()));
        node.endedAt().ifPresent(at -> json.put("endedAt", at.toEpochMilli()));
        node.duration().ifPresent(duration -> json.put("durationMillis", duration.toMillis()));
        node.error().ifPresent(error -> json.put("error", error));
        return json;
    }

    private static Map<String, Object> operations(OperationGraph graph) {
        List<Object> edges = new ArrayList<>();
        for (TypedEdge edge : graph.edges()) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("from", edge.from());
            json.put("to", edge.to());
            json.put("compatible", edge.compatible());
            edge.detail().ifPresent(detail -> json.put("detail", detail));
            edges.add(json);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("operations", graph.topologicalOrder());
        out.put("roots", graph.roots());
        out.put("edges", edges);
        return out;
    }
}
