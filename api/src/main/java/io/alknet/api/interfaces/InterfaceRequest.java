package io.alknet.api.interfaces;

import io.alknet.api.stream.PeerInfo;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One request a {@link MessageInterface} received.
 *
 * @param peer          the connection it arrived on (for the audit log; never a destination)
 * @param operationPath the operation, e.g. {@code /fs/readFile}
 * @param input         the input as a JSON value (see {@link io.alknet.api.call})
 * @param authToken     the bearer token or API key presented, if any (never logged)
 * @param metadata      other request metadata (headers), secrets removed
 */
public record InterfaceRequest(PeerInfo peer, String operationPath, Object input, Optional<String> authToken,
                               Map<String, String> metadata) {

    public InterfaceRequest {
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(operationPath, "operationPath");
        Objects.requireNonNull(authToken, "authToken");
        metadata = Map.copyOf(metadata);
    }

    @Override
    public String toString() {
        return "InterfaceRequest[" + operationPath + ", token=" + (authToken.isPresent() ? "***" : "none") + "]";
    }
}
