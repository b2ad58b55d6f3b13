package io.alknet.api.interfaces;

import java.util.Map;

/**
 * The answer to an {@link InterfaceRequest}.
 *
 * @param status  HTTP-style status: 200, 400 (invalid input), 401 (no or bad credential), 429 (the source is refused
 *                for a while after too many failed logins; headers say {@code Connection: close}), 403 (missing
 *                scope), 404 (no such operation), 408 (timeout), 500, 503
 * @param body    {@code {"data": result}} or {@code {"error": {"code", "message", "retryable"}}} as a JSON value
 * @param headers extra response headers
 */
public record InterfaceResponse(int status, Object body, Map<String, String> headers) {

    public InterfaceResponse {
        headers = Map.copyOf(headers);
    }
}
