package io.alknet.api.iface;

import java.util.Map;
import java.util.Objects;

/**
 * The answer to an {@link InterfaceRequest}.
 *
 * @param status   HTTP-style status (200, 401, 403, 404, 500, …)
 * @param bodyJson the result or the error as JSON text
 * @param headers  extra response headers
 */
public record InterfaceResponse(int status, String bodyJson, Map<String, String> headers) {

    public InterfaceResponse {
        Objects.requireNonNull(bodyJson, "bodyJson");
        headers = Map.copyOf(headers);
    }
}
