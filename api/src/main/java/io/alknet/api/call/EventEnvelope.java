package io.alknet.api.call;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One message of the call protocol: {@code {"type": …, "id": …, "payload": …}}, framed on the wire as a
 * 4-byte big-endian length followed by the UTF-8 JSON text.
 *
 * @param type    the event name, e.g. {@link #CALL_REQUESTED}
 * @param id      the correlation key: a request id, a topic, or "" for a broadcast
 * @param payload any JSON value (see the package documentation); its shape depends on {@code type}
 */
public record EventEnvelope(String type, String id, Object payload) {

    /** Start a call or a subscription. Payload: operationId, input, optional deadline, metadata, parentRequestId. */
    public static final String CALL_REQUESTED = "call.requested";
    /** One result: exactly one for a call, any number for a subscription. Payload: requestId, output {data, meta}. */
    public static final String CALL_RESPONDED = "call.responded";
    /** The end of a subscription's results. Payload: requestId. */
    public static final String CALL_COMPLETED = "call.completed";
    /** Cancel, from either side. Payload: requestId. */
    public static final String CALL_ABORTED = "call.aborted";
    /** Failure; terminal. Payload: requestId, code, message, retryable, details. */
    public static final String CALL_ERROR = "call.error";
    /** Pubsub: start receiving events of {@code id} (a topic; "" for every topic). */
    public static final String SUBSCRIBE = "__subscribe";
    /** Pubsub: stop receiving events of {@code id}. */
    public static final String UNSUBSCRIBE = "__unsubscribe";

    public EventEnvelope {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(id, "id");
    }

    /** True for the five {@code call.*} types; other types are pubsub events or control messages. */
    public boolean isCall() {
        return type.startsWith("call.");
    }

    /**
     * The request id this envelope correlates to: {@code payload.requestId} when present (the reference
     * implementation's correlation), else {@code id}.
     */
    public String requestId() {
        if (payload instanceof Map<?, ?> map && map.get("requestId") instanceof String requestId && !requestId.isEmpty()) {
            return requestId;
        }
        return id;
    }

    /** A {@code call.*} envelope: {@code id} and {@code payload.requestId} both carry the request id. */
    public static EventEnvelope call(String type, String requestId, Map<String, Object> payload) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("requestId", requestId);
        body.putAll(payload);
        return new EventEnvelope(type, requestId, body);
    }
}
