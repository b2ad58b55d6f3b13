package io.alknet.interfaces.http.internal;

import io.alknet.api.interfaces.InterfaceRequest;
import io.alknet.api.interfaces.InterfaceResponse;
import io.alknet.api.interfaces.MessageContext;
import io.alknet.api.stream.PeerInfo;
import io.alknet.call.Json;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The call protocol in HTTP terms, apart from any socket: {@code POST /v1/call/SERVICE/OP} with a JSON body calls
 * {@code /SERVICE/OP}, {@code GET /v1/ops} lists the operations, {@code Authorization: Bearer …} carries a token or
 * an API key. Shared by the interface's own listener and by the in-process gateway. Thread-safe.
 */
final class HttpCalls {

    private static final String CALL_PREFIX = "/v1/call/";

    /**
     * An answer: status and JSON body (plus headers the kernel chose); {@code authenticated} when the kernel accepted
     * the request's credential.
     */
    record Answer(int status, Object body, Map<String, String> headers, boolean authenticated) {
    }

    private final MessageContext context;

    HttpCalls(MessageContext context) {
        this.context = Objects.requireNonNull(context, "context");
    }

    /**
     * Answers one request.
     *
     * @param peer   who sent it: the connection's peer, never taken from a header
     * @param header a request header by name (case-insensitive), or null
     */
    CompletionStage<Answer> answer(PeerInfo peer, String method, String uri, Function<String, String> header, byte[] body) {
        String path;
        try {
            path = new QueryStringDecoder(uri).path();
        } catch (IllegalArgumentException malformed) {
            return done(400, error("PROTOCOL_ERROR", "malformed percent-escape in the request path"));
        }
        String operation;
        Object input;
        if (path.equals("/v1/ops")) {
            if (!method.equals("GET")) {
                return notAllowed("GET", "list the operations with GET");
            }
            operation = "/services/list";
            input = Map.of();
        } else if (path.startsWith(CALL_PREFIX) && path.length() > CALL_PREFIX.length()) {
            if (!method.equals("POST")) {
                return notAllowed("POST", "call an operation with POST");
            }
            operation = path.substring(CALL_PREFIX.length() - 1);
            try {
                input = body.length == 0 ? Map.of() : Json.read(body);
            } catch (IllegalArgumentException e) {
                return done(400, error("VALIDATION_ERROR", "the body is not JSON: " + e.getMessage()));
            }
        } else {
            return done(404, error("OPERATION_NOT_FOUND", "no such endpoint: POST /v1/call/SERVICE/OP or GET /v1/ops"));
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        String trace = header.apply("traceparent");
        if (trace != null) {
            metadata.put("traceparent", trace);
        }
        CompletionStage<InterfaceResponse> response;
        try {
            response = context.handle(new InterfaceRequest(peer, operation, input, bearer(header.apply("Authorization")), metadata));
        } catch (RuntimeException e) {
            response = CompletableFuture.failedFuture(e);
        }
        return response.handle((answer, failure) -> failure != null
                ? new Answer(500, error("EXECUTION_ERROR", "internal error"), Map.of(), false)
                // 401: no or a wrong credential; 429: a source in the penalty box, refused before its credential was read
                : new Answer(answer.status(), answer.body(), answer.headers(), answer.status() != 401 && answer.status() != 429));
    }

    /** Whether the kernel accepts the credential of a request with these headers (asked before its body is read). */
    CompletionStage<Boolean> accepts(PeerInfo peer, Function<String, String> header) {
        try {
            return context.accepts(peer, bearer(header.apply("Authorization")));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(false);
        }
    }

    static byte[] json(Object body) {
        return Json.write(body);
    }

    /** 405 with the Allow header RFC 9110 asks for. */
    private static CompletionStage<Answer> notAllowed(String allowed, String message) {
        return CompletableFuture.completedFuture(new Answer(405, error("PROTOCOL_ERROR", message), Map.of("Allow", allowed), false));
    }

    private static CompletionStage<Answer> done(int status, Object body) {
        return CompletableFuture.completedFuture(new Answer(status, body, Map.of(), false));
    }

    private static Optional<String> bearer(String header) {
        if (header == null) {
            return Optional.empty();
        }
        String value = header.strip();
        if (value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.of(value.substring(7).strip());
        }
        return Optional.empty();
    }

    static Map<String, Object> error(String code, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        error.put("retryable", false);
        return Map.of("error", error);
    }
}
