package com.example.greeter;

import io.alknet.api.call.Operation;
import io.alknet.api.call.OperationException;
import io.alknet.api.call.OperationSpec;
import io.alknet.api.call.OperationType;
import io.alknet.api.plugin.AlknetPlugin;

import java.util.List;
import java.util.Map;

/**
 * A plugin that contributes two operations. Each is a <em>spec</em> (what it is: path, schemas, required
 * scopes, error codes — what {@code alknet ops} shows) registered beside a <em>handler</em> (the code).
 */
public final class GreeterPlugin implements AlknetPlugin {

    /** Callers need this scope (give it to a key in authorized_keys, or to an API key). */
    public static final String SCOPE = "greeter:use";

    static final OperationSpec HELLO = OperationSpec.builder("/greeter/hello", OperationType.QUERY)
            .version("1.0.0")
            .description("Greets someone by name")
            .input(Map.of(
                    "type", "object",
                    "required", List.of("name"),
                    "properties", Map.of("name", Map.of("type", "string", "minLength", 1, "maxLength", 64))))
            .output(Map.of(
                    "type", "object",
                    "required", List.of("message"),
                    "properties", Map.of("message", Map.of("type", "string"))))
            .requiredScopes(SCOPE)
            .errorCodes("NAME_REFUSED")
            .build();

    static final OperationSpec COUNTDOWN = OperationSpec.builder("/greeter/countdown", OperationType.SUBSCRIPTION)
            .description("Counts down from 'from' to 1, one result each")
            .input(Map.of(
                    "type", "object",
                    "required", List.of("from"),
                    "properties", Map.of("from", Map.of("type", "integer", "minimum", 1, "maximum", 1000))))
            .requiredScopes(SCOPE)
            .build();

    @Override
    public String name() {
        return "greeter";
    }

    @Override
    public List<Operation> operations() {
        return List.of(
                Operation.of(HELLO, (input, context) -> hello((String) ((Map<?, ?>) input).get("name"))),
                Operation.subscription(COUNTDOWN, (input, context, sink) -> {
                    int from = ((Number) ((Map<?, ?>) input).get("from")).intValue();
                    for (int i = from; i >= 1 && !context.isCancelled(); i--) {
                        sink.emit(i);
                    }
                }));
    }

    /** The handler's logic, plain Java: validated input in, a JSON value out. */
    static Map<String, Object> hello(String name) {
        if (name.equalsIgnoreCase("mallory")) {
            // a declared error code: callers get NAME_REFUSED, not a generic EXECUTION_ERROR
            throw new OperationException("NAME_REFUSED", "I do not greet " + name, false, null);
        }
        return Map.of("message", "Hello, " + name + "!");
    }

}
