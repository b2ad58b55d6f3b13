package io.alknet.api.transport;

import io.alknet.api.stream.TransportStream;

import java.util.concurrent.CompletionStage;

/**
 * A running transport: dials and listens for one scheme. Created by a {@link TransportFactory}; threads
 * and sockets are only created by {@link #start()}, {@link #connect} and {@link #listen}.
 *
 * <p>Threading: every method may be called from any thread and never blocks.
 * Owner: the kernel; it calls {@link #close()} after every listener and stream created through this
 * transport is closed.
 */
public interface Transport extends AutoCloseable {

    /** The scheme this transport serves, e.g. {@code tcp}. */
    String scheme();

    /** The protection this transport gives on its own. */
    SecurityLevel security();

    /** Allocates threads and other resources; called once before any other method. */
    default void start() {
    }

    /**
     * Opens a new connection; every call yields a fresh, independent stream.
     *
     * @return completes with the stream, or exceptionally with an {@link io.alknet.api.AlknetException}
     *     ({@code CONNECTION_FAILED}, {@code TARGET_REFUSED}, …) or an {@link java.io.IOException}
     */
    CompletionStage<TransportStream> connect(TransportAddress address);

    /**
     * Opens a new connection that will be spliced with {@code near} (a forward target for a session):
     * transports that can should serve both on the same I/O thread, which saves a thread hand-off per
     * write. The default ignores the hint.
     */
    default CompletionStage<TransportStream> connect(TransportAddress address, TransportStream near) {
        return connect(address);
    }

    /**
     * True if {@link #connect} hands host names to another party to resolve, such as an outbound proxy:
     * the kernel then dials a forward target's name as it is instead of looking it up first, so no DNS
     * query for it leaves this machine. The default is false: the kernel resolves and dials addresses.
     */
    default boolean resolvesNamesRemotely() {
        return false;
    }

    /**
     * Binds a listener. Port {@code 0} binds any free port; {@link Listener#address()} tells which.
     *
     * @return completes with the bound listener, or exceptionally when binding failed
     */
    CompletionStage<Listener> listen(TransportAddress address);

    /**
     * Facts operators need once listening, e.g. {@code certificate-fingerprint} (the TLS certificate clients
     * pin); printed by {@code alknet serve}. Default: none.
     */
    default java.util.Map<String, String> info() {
        return java.util.Map.of();
    }

    /** Releases threads and sockets. Idempotent. */
    @Override
    void close();
}
