package io.alknet.api.interfaces;

import io.alknet.api.stream.PeerInfo;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * An HTTP message interface as a handler of single requests that another listener received itself, in the same
 * process: the stealth TLS listener passes {@code /v1/…} requests on this way. The peer is the one of the
 * connection the request really came on, so no header (such as {@code X-Forwarded-For}) decides who the client
 * is. Offered by {@link MessageInterface#httpGateway()}; components reach the server's through
 * {@link io.alknet.api.plugin.PluginContext#httpGateway()}.
 *
 * <p>Threading: {@link #handle} is called from any thread, typically a transport's I/O thread, and never blocks;
 * the returned stage completes on any thread. Any number of calls may be outstanding.
 */
public interface HttpGateway {

    /** Answers one request; the stage completes (never exceptionally for a bad request: that is an answer too). */
    CompletionStage<Response> handle(Request request);

    /**
     * Whether a request with these headers would be answered as an authenticated caller: asked before its body is
     * read, so a listener that must not reveal the service keeps no body for a stranger and answers it at once. A
     * refusal is logged and counted as a refused request; the request is then not passed to {@link #handle}.
     * Default: true.
     *
     * @param headers the request headers by lower-case name
     */
    default CompletionStage<Boolean> accepts(PeerInfo peer, Map<String, String> headers) {
        return java.util.concurrent.CompletableFuture.completedFuture(true);
    }

    /**
     * One request.
     *
     * @param peer    the connection it came on
     * @param method  the method as sent, e.g. {@code POST}
     * @param uri     the request target in origin form, e.g. {@code /v1/call/health/ping?x=1}
     * @param headers the request headers by lower-case name; repeated ones joined by {@code ", "}
     * @param body    the whole body; the gateway may keep it
     */
    record Request(PeerInfo peer, String method, String uri, Map<String, String> headers, byte[] body) {

        public Request {
            Objects.requireNonNull(peer, "peer");
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(uri, "uri");
            headers = Map.copyOf(headers);
            Objects.requireNonNull(body, "body");
        }

        @Override
        public String toString() {
            // neither the credential in the headers nor the body belongs in a log line
            return "HttpGateway.Request[" + method + " " + uri + ", " + body.length + " bytes]";
        }
    }

    /**
     * The answer.
     *
     * @param status        the HTTP status
     * @param headers       headers that describe the body, e.g. {@code Content-Type}; the listener adds the framing
     *                      ({@code Content-Length}, {@code Connection}) itself
     * @param body          the body
     * @param authenticated whether the request carried a credential the server accepted; also false when the
     *                      request was refused before its credential was looked at. A listener that must not reveal
     *                      the service (stealth) shows only authenticated answers and treats the rest as it treats
     *                      any other request
     */
    record Response(int status, Map<String, String> headers, byte[] body, boolean authenticated) {

        public Response {
            headers = Map.copyOf(headers);
            Objects.requireNonNull(body, "body");
        }
    }
}
