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

    private BuiltIns() {
    }

    private static final Map<String, Object> OBJECT = Map.of("type", "object");

    /** Registers the operations both sides serve. */
    static void registerCommon(OperationTable table) {
        ClassLoader kernel = BuiltIns.class.getClassLoader();
        table.register(Operation.of(OperationSpec.builder(LIST, OperationType.QUERY)
                .description("The operations you may call here, with their specs")
                .input(OBJECT).output(Map.of("type", "object", "required", List.of("operations")))
                .build(), (input, context) -> list(table, context)), kernel);
        table.register(Operation.of(OperationSpec.builder(SCHEMA, OperationType.QUERY)
                .description("The spec of one operation")
                .input(Map.of("type", "object", "required", List.of("path"),
                        "properties", Map.of("path", Map.of("type", "string"))))
                .build(), (input, context) -> schema(table, (String) ((Map<?, ?>) input).get("path"), context)), kernel);
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

    /** True for the operations alknet itself serves. */
    static boolean isBuiltIn(String path) {
        return path.equals(LIST) || path.equals(SCHEMA) || path.equals(PING) || path.equals(STATUS) || path.equals(RELOAD);
    }

    private static Map<String, Object> list(OperationTable table, OperationContext context) {
        List<Object> specs = new ArrayList<>();
        for (OperationSpec spec : table.specs()) {
            if (visible(spec.access(), context)) {
                specs.add(Specs.toJson(spec));
            }
        }
        return Map.of("operations", specs);
    }

    private static Map<String, Object> schema(OperationTable table, String path, OperationContext context) {
        return table.find(path).map(Operation::spec).filter(spec -> visible(spec.access(), context))
                .map(Specs::toJson)
                .orElseThrow(() -> new OperationException(CallError.OPERATION_NOT_FOUND, "no operation " + path));
    }

    private static boolean visible(AccessControl access, OperationContext context) {
        return context.trusted() || access.allows(context.identity());
    }
}
