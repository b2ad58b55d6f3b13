package io.alknet.kernel.internal.call;

import io.alknet.api.call.AccessControl;
import io.alknet.api.call.CallError;
import io.alknet.api.call.Operation;
import io.alknet.api.call.OperationContext;
import io.alknet.api.call.OperationException;
import io.alknet.api.call.OperationSpec;
import io.alknet.api.call.OperationType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The operations every alknet process serves (spec: services): discovery, health, and on a server its
 * status and a reload of the dynamic configuration.
 */
public final class BuiltIns {

    /** Lists the operations the caller may call. */
    public static final String LIST = "/services/list";
    /** One operation's spec. */
    public static final String SCHEMA = "/services/schema";
    public static final String PING = "/health/ping";
    public static final String STATUS = "/server/status";
    public static final String RELOAD = "/server/reload";
    /** Needed for {@link #STATUS}. */
    public static final String STATUS_SCOPE = "monitoring:read";
    /** Needed for {@link #RELOAD}. */
    public static final String RELOAD_SCOPE = "admin:reload";
    /** A head's own namespace: no worker may take it as an alias. */
    public static final String HEAD = "head";
    /** A worker registers its operations here (spec §3.3). */
    public static final String REGISTER = "/head/services/register";
    /** A registered worker says it is alive. */
    public static final String HEARTBEAT = "/head/services/heartbeat";

    private BuiltIns() {
    }

    private static final Map<String, Object> OBJECT = Map.of("type", "object");

    /** Registers the operations both sides serve. */
    static void registerCommon(OperationTable table, Dispatcher dispatcher) {
        ClassLoader kernel = BuiltIns.class.getClassLoader();
        FlowOperations.register(table, dispatcher);
        table.register(Operation.of(OperationSpec.builder(LIST, OperationType.QUERY)
                .description("The operations you may call here, with their specs")
                .input(OBJECT).output(Map.of("type", "object", "required", List.of("operations")))
                .build(), (input, context) -> list(table, dispatcher.mesh(), context)), kernel);
        table.register(Operation.of(OperationSpec.builder(SCHEMA, OperationType.QUERY)
                .description("The spec of one operation")
                .input(Map.of("type", "object", "required", List.of("path"),
                        "properties", Map.of("path", Map.of("type", "string"))))
                .build(), (input, context) -> schema(table, dispatcher.mesh(), (String) ((Map<?, ?>) input).get("path"), context)), kernel);
        table.register(Operation.of(OperationSpec.builder(PING, OperationType.QUERY)
                .description("Answers at once: is the peer alive")
                .build(), (input, context) -> {
                    Map<String, Object> pong = new LinkedHashMap<>();
                    pong.put("pong", true);
                    pong.put("time", System.currentTimeMillis());
                    return pong;
                }), kernel);
    }

    /** Registers the server's own operations. */
    static void registerServer(OperationTable table, Supplier<Map<String, Object>> status, Supplier<Long> reload) {
        ClassLoader kernel = BuiltIns.class.getClassLoader();
        table.register(Operation.of(OperationSpec.builder(STATUS, OperationType.QUERY)
                .description("Sessions, listeners, configuration generation and uptime")
                .requiredScopes(STATUS_SCOPE).input(OBJECT).build(), (input, context) -> status.get()), kernel);
        table.register(Operation.of(OperationSpec.builder(RELOAD, OperationType.MUTATION)
                .description("Re-reads the dynamic configuration (keys, API keys, policy, limits) and swaps it in")
                .requiredScopes(RELOAD_SCOPE).input(OBJECT).build(), (input, context) -> {
                    try {
                        return Map.of("generation", reload.get());
                    } catch (RuntimeException e) {
                        throw new OperationException(CallError.EXECUTION_ERROR, "reload rejected, the old configuration stays: "
                                + e.getMessage());
                    }
                }), kernel);
    }

    /** A head's operations for its workers: registration (scope {@value Mesh#REGISTER_SCOPE}) and heartbeats. */
    static void registerHead(OperationTable table, Mesh mesh) {
        ClassLoader kernel = BuiltIns.class.getClassLoader();
        table.register(Operation.of(OperationSpec.builder(REGISTER, OperationType.MUTATION)
                .description("A worker registers its operations under an alias unique on this head; others then call them as /ALIAS/...")
                .input(Map.of("type", "object", "required", List.of("node", "operations"),
                        "properties", Map.of("node", Map.of("type", "string"), "operations", Map.of("type", "array"))))
                .requiredScopes(Mesh.REGISTER_SCOPE).errorCodes(Mesh.CONFLICT).build(), (input, context) -> {
                    CallEngine connection = ((CallContext) context).arrivedOver();
                    if (connection == null) {
                        throw new OperationException(CallError.VALIDATION_ERROR, "register over a connection (SSH or raw framing): "
                                + "the head routes calls back over it, and this call came without one");
                    }
                    Map<?, ?> fields = (Map<?, ?>) input;
                    List<OperationSpec> specs = new ArrayList<>();
                    for (Object item : (List<?>) fields.get("operations")) {
                        try {
                            specs.add(Specs.fromJson(item));
                        } catch (IllegalArgumentException e) {
                            throw new OperationException(CallError.VALIDATION_ERROR, "a malformed operation spec: " + e.getMessage());
                        }
                    }
                    Mesh.Node node = mesh.register((String) fields.get("node"), connection, specs);
                    return Map.of("node", node.alias(), "operations", node.specs().size(),
                            "heartbeatMillis", Calls.HEARTBEAT.toMillis());
                }), kernel);
        table.register(Operation.of(OperationSpec.builder(HEARTBEAT, OperationType.MUTATION)
                .description("A registered worker says it is alive; registered=false asks it to register again")
                .input(Map.of("type", "object", "required", List.of("node"), "properties", Map.of("node", Map.of("type", "string"))))
                .requiredScopes(Mesh.REGISTER_SCOPE).build(), (input, context) -> Map.of("registered",
                        mesh.heartbeat(String.valueOf(((Map<?, ?>) input).get("node")), ((CallContext) context).arrivedOver()))), kernel);
    }

    /** True for the operations alknet itself serves. */
    static boolean isBuiltIn(String path) {
        return path.equals(LIST) || path.equals(SCHEMA) || path.equals(PING) || path.equals(STATUS) || path.equals(RELOAD)
                || path.equals(REGISTER) || path.equals(HEARTBEAT) || FlowOperations.isFlow(path);
    }

    private static Map<String, Object> list(OperationTable table, java.util.Optional<Mesh> mesh, OperationContext context) {
        List<Object> specs = new ArrayList<>();
        for (OperationSpec spec : table.specs()) {
            if (visible(spec.access(), context)) {
                specs.add(Specs.toJson(spec));
            }
        }
        // a head lists its workers' operations too, as callers reach them: /ALIAS/service/op
        for (OperationSpec spec : mesh.map(Mesh::specs).orElse(List.of())) {
            if (visible(spec.access(), context)) {
                specs.add(Specs.toJson(spec));
            }
        }
        return Map.of("operations", specs);
    }

    private static Map<String, Object> schema(OperationTable table, java.util.Optional<Mesh> mesh, String path, OperationContext context) {
        return table.find(path).map(Operation::spec)
                .or(() -> mesh.flatMap(routes -> routes.specs().stream().filter(spec -> spec.path().equals(path)).findFirst()))
                .filter(spec -> visible(spec.access(), context))
                .map(Specs::toJson)
                .orElseThrow(() -> new OperationException(CallError.OPERATION_NOT_FOUND, "no operation " + path));
    }

    private static boolean visible(AccessControl access, OperationContext context) {
        return context.trusted() || access.allows(context.identity());
    }
}
