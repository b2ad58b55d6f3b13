package io.alknet.api.iface;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One request a {@link MessageInterface} received.
 *
 * @param operationPath the operation, e.g. {@code /head/auth/verify}
 * @param inputJson     the input as JSON text
 * @param authToken     the bearer token or API key presented, if any (never logged)
 * @param metadata      other request metadata (headers), secrets removed
 */
public record InterfaceRequest(
        String operationPath, String inputJson, Optional<String> authToken, Map<String, String> metadata) {

    public InterfaceRequest {
        Objects.requireNonNull(operationPath, "operationPath");
        Objects.requireNonNull(inputJson, "inputJson");
        Objects.requireNonNull(authToken, "authToken");
        metadata = Map.copyOf(metadata);
    }

    @Override
    public String toString() {
        return "InterfaceRequest[" + operationPath + ", token=" + (authToken.isPresent() ? "***" : "none") + "]";
    }
}
