package io.alknet.kernel.internal.call;

import io.alknet.api.call.AccessControl;
import io.alknet.api.call.OperationSpec;
import io.alknet.api.call.OperationType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Operation specs as JSON values (for {@code /services/list}) and back (for clients). */
public final class Specs {

    private Specs() {
    }

    public static Map<String, Object> toJson(OperationSpec spec) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("path", spec.path());
        json.put("namespace", spec.namespace());
        json.put("type", spec.type().name().toLowerCase(java.util.Locale.ROOT));
        json.put("version", spec.version());
        json.put("description", spec.description());
        json.put("inputSchema", spec.inputSchema());
        json.put("outputSchema", spec.outputSchema());
        Map<String, Object> access = new LinkedHashMap<>();
        access.put("requiredScopes", new ArrayList<>(new java.util.TreeSet<>(spec.access().requiredScopes())));
        access.put("requiredScopesAny", new ArrayList<>(new java.util.TreeSet<>(spec.access().requiredScopesAny())));
        json.put("accessControl", access);
        json.put("errorCodes", new ArrayList<>(new java.util.TreeSet<>(spec.errorCodes())));
        return json;
    }

    @SuppressWarnings("unchecked")
    public static OperationSpec fromJson(Object value) {
        if (!(value instanceof Map<?, ?> raw)) {
            throw new IllegalArgumentException("a spec must be an object");
        }
        Map<String, Object> json = (Map<String, Object>) raw;
        Map<String, Object> access = json.get("accessControl") instanceof Map<?, ?> a ? (Map<String, Object>) a : Map.of();
        return new OperationSpec(String.valueOf(json.get("path")),
                OperationType.valueOf(String.valueOf(json.getOrDefault("type", "query")).toUpperCase(java.util.Locale.ROOT)),
                String.valueOf(json.getOrDefault("version", "")), String.valueOf(json.getOrDefault("description", "")),
                json.get("inputSchema") instanceof Map<?, ?> in ? (Map<String, Object>) in : Map.of(),
                json.get("outputSchema") instanceof Map<?, ?> out ? (Map<String, Object>) out : Map.of(),
                new AccessControl(strings(access.get("requiredScopes")), strings(access.get("requiredScopesAny"))),
                strings(json.get("errorCodes")));
    }

    private static Set<String> strings(Object value) {
        List<String> out = new ArrayList<>();
        if (value instanceof List<?> list) {
            list.forEach(item -> out.add(String.valueOf(item)));
        }
        return Set.copyOf(out);
    }
}
