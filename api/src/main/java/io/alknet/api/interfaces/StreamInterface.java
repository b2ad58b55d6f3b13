package io.alknet.api.interfaces;

import io.alknet.api.stream.TransportStream;

import java.util.concurrent.CompletionStage;

/**
 * Turns transport streams into sessions: the server half through {@link #serve}, the client half
 * through {@link #connect}.
 *
 * <p>Threading: all methods may be called from any thread and never block. Owner: the kernel; a server calls
 * {@link #prepareServer()} once before the first {@link #serve}, and the kernel calls {@link #close()} after every
 * session ended.
 */
public interface StreamInterface extends AutoCloseable {

    /** The interface name, e.g. {@code ssh}. */
    String name();

    /**
     * Prepares the server half (loads host keys, allocates resources), so that bad keys fail at startup
     * rather than at the first connection. Called once by a server before the first {@link #serve}; a
     * client never calls it.
     *
     * @return facts operators need, such as {@code host-key-fingerprint}; printed by {@code alknet serve}
     * @throws io.alknet.api.AlknetException {@code INVALID_KEY} or {@code INVALID_CONFIG}
     */
    default java.util.Map<String, String> prepareServer() {
        return java.util.Map.of();
    }

    /**
     * Runs the server half of a session on an accepted stream. Returns at once; the session lives until
     * the stream or {@link ServerConnection#close} ends it. Malformed input from the peer closes this
     * session only.
     */
    ServerConnection serve(TransportStream stream, ServerContext context);

    /**
     * Runs the client half on a freshly connected stream: handshake, server verification, authentication.
     *
     * @return completes with the authenticated session, or exceptionally with an
     *     {@link io.alknet.api.AlknetException} ({@code AUTH_REJECTED}, {@code HOST_KEY_REJECTED},
     *     {@code PROTOCOL_ERROR}, {@code CONNECTION_FAILED})
     */
    CompletionStage<TunnelSession> connect(TransportStream stream, ClientSessionOptions options);

    /** Closes every session immediately and releases resources. Idempotent. */
    @Override
    void close();
}
