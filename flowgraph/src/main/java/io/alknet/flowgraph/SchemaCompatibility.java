package io.alknet.flowgraph;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether one operation's output schema fits another's input schema (spec §8.3, typed edges). A schema that says
 * nothing about its shape (empty, or an object without properties) is unknown: no edge. Two object schemas that share
 * no property name are unrelated: no edge. Otherwise the output fits when it has every input property with an equal
 * schema (extra output properties are fine); when it lacks one or one differs, the edge is incompatible and says why.
 * Other schemas (a string, an array) fit only when equal.
 */
final class SchemaCompatibility {

    private SchemaCompatibility() {
    }

    /** The edge from an operation with {@code output} to one with {@code input}, if there is one. */
    static Optional<TypedEdge> edge(String from, Map<String, Object> output, String to, Map<String, Object> input) {
        if (unknown(output) || unknown(input)) {
            return Optional.empty();
        }
        Map<?, ?> produced = properties(output);
        Map<?, ?> wanted = properties(input);
        if (produced == null || wanted == null) {
            return output.equals(input) ? Optional.of(new TypedEdge(from, to, true, Optional.empty())) : Optional.empty();
        }
        if (wanted.keySet().stream().noneMatch(produced::containsKey)) {
            return Optional.empty();
        }
        List<String> problems = new ArrayList<>();
        wanted.forEach((name, schema) -> {
            if (!produced.containsKey(name)) {
                problems.add("the output has no '" + name + "'");
            } else if (!Objects.equals(produced.get(name), schema)) {
                problems.add("'" + name + "' is " + produced.get(name) + " in the output but " + schema + " in the input");
            }
        });
        return Optional.of(new TypedEdge(from, to, problems.isEmpty(),
                problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems))));
    }

    private static boolean unknown(Map<String, Object> schema) {
        return schema.isEmpty() || ("object".equals(schema.get("type")) && properties(schema) == null);
    }

    private static Map<?, ?> properties(Map<String, Object> schema) {
        return schema.get("properties") instanceof Map<?, ?> properties && !properties.isEmpty() ? properties : null;
    }
}
