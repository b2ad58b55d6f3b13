package io.alknet.api.call;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What an operation is, registered separately from the code that runs it (its handler), so that a
 * client can discover, validate and document it: a path such as {@code /fs/readFile}, a type, JSON
 * Schemas for input and output (as plain maps), who may call it, and the error codes it declares.
 *
 * @param path         {@code /service/op} (or {@code /node/service/op} when routed); the service segment is the namespace
 * @param type         query, mutation or subscription
 * @param version      the spec's version, e.g. {@code 1.0.0}
 * @param description  for humans and tool listings
 * @param inputSchema  JSON Schema of the input ({@code {}} accepts anything)
 * @param outputSchema JSON Schema of each result (checked, but a mismatch is only logged)
 * @param access       required scopes
 * @param errorCodes   the codes the handler may fail with, besides the protocol's own
 */
public record OperationSpec(String path, OperationType type, String version, String description,
                            Map<String, Object> inputSchema, Map<String, Object> outputSchema, AccessControl access,
                            Set<String> errorCodes) {

    public OperationSpec {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(description, "description");
        inputSchema = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(inputSchema));
        outputSchema = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(outputSchema));
        Objects.requireNonNull(access, "access");
        errorCodes = Set.copyOf(errorCodes);
        if (!path.startsWith("/") || path.length() < 2 || path.endsWith("/") || path.contains("//") || path.contains(" ")) {
            throw new IllegalArgumentException("operation path must look like /service/op, got '" + path + "'");
        }
    }

    /** The service segment: {@code fs} for {@code /fs/readFile}. */
    public String namespace() {
        String rest = path.substring(1);
        int slash = rest.indexOf('/');
        return slash < 0 ? rest : rest.substring(0, slash);
    }

    public static Builder builder(String path, OperationType type) {
        return new Builder(path, type);
    }

    /** A builder with permissive defaults: any input, any output, any authenticated caller. */
    public static final class Builder {
        private final String path;
        private final OperationType type;
        private String version = "1.0.0";
        private String description = "";
        private Map<String, Object> inputSchema = Map.of();
        private Map<String, Object> outputSchema = Map.of();
        private AccessControl access = AccessControl.AUTHENTICATED;
        private Set<String> errorCodes = Set.of();

        private Builder(String path, OperationType type) {
            this.path = path;
            this.type = type;
        }

        public Builder version(String value) {
            version = value;
            return this;
        }

        public Builder description(String value) {
            description = value;
            return this;
        }

        public Builder input(Map<String, Object> schema) {
            inputSchema = schema;
            return this;
        }

        public Builder output(Map<String, Object> schema) {
            outputSchema = schema;
            return this;
        }

        public Builder access(AccessControl value) {
            access = value;
            return this;
        }

        public Builder requiredScopes(String... scopes) {
            access = new AccessControl(Set.of(scopes), access.requiredScopesAny());
            return this;
        }

        public Builder errorCodes(String... codes) {
            errorCodes = Set.of(codes);
            return this;
        }

        public OperationSpec build() {
            return new OperationSpec(path, type, version, description, inputSchema, outputSchema, access, errorCodes);
        }
    }
}
