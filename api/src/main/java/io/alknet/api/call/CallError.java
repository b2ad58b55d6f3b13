package io.alknet.api.call;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Why a call failed, as {@code call.error} carries it. Codes are open strings; the ones below are the
 * protocol's own. A client treats an unknown code as a non-retryable execution error.
 *
 * @param code      e.g. {@link #OPERATION_NOT_FOUND}
 * @param message   for humans; never a secret
 * @param retryable whether the same call may succeed later
 * @param details   any JSON value with more detail, or empty
 */
public record CallError(String code, String message, boolean retryable, Optional<Object> details) {

    public static final String OPERATION_NOT_FOUND = "OPERATION_NOT_FOUND";
    public static final String ACCESS_DENIED = "ACCESS_DENIED";
    public static final String VALIDATION_ERROR = "VALIDATION_ERROR";
    public static final String TIMEOUT = "TIMEOUT";
    public static final String ABORTED = "ABORTED";
    public static final String EXECUTION_ERROR = "EXECUTION_ERROR";
    public static final String UNKNOWN_ERROR = "UNKNOWN_ERROR";
    /** A malformed envelope or frame: invalid JSON, a missing field, an unknown type, an oversized frame, a reused id. */
    public static final String PROTOCOL_ERROR = "PROTOCOL_ERROR";
    /** Too many calls in flight on one connection. */
    public static final String OVERLOADED = "OVERLOADED";

    public CallError {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(details, "details");
    }

    public static CallError of(String code, String message) {
        return new CallError(code, message, code.equals(TIMEOUT) || code.equals(OVERLOADED), Optional.empty());
    }

    /** The {@code call.error} payload fields (without the request id). */
    public Map<String, Object> toPayload() {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("code", code);
        payload.put("message", message);
        payload.put("retryable", retryable);
        details.ifPresent(value -> payload.put("details", value));
        return payload;
    }

    /** Reads a {@code call.error} payload; missing fields get safe defaults. */
    public static CallError fromPayload(Object payload) {
        if (!(payload instanceof Map<?, ?> map)) {
            return of(UNKNOWN_ERROR, "malformed error payload");
        }
        String code = map.get("code") instanceof String text ? text : UNKNOWN_ERROR;
        String message = map.get("message") instanceof String text ? text : code;
        boolean retryable = Boolean.TRUE.equals(map.get("retryable"));
        return new CallError(code, message, retryable, Optional.ofNullable(map.get("details")));
    }
}
