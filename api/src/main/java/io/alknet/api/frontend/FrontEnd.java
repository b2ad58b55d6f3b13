package io.alknet.api.frontend;

import io.alknet.api.interfaces.TunnelSession;

import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * One running front end, e.g. the local listener of {@code -L 8080:db:5432}.
 *
 * <p>Owner: the kernel's client. Threading: any thread; never blocks.
 */
public interface FrontEnd extends AutoCloseable {

    /** What it does, for status lines: {@code -L 127.0.0.1:8080 -> db:5432}. Never logged at INFO with targets. */
    String description();

    /**
     * Binds local listeners. Called once, before the first session is up.
     *
     * @return completes when listening, or exceptionally when binding failed
     */
    CompletionStage<Void> start(Tunnel tunnel);

    /** The local addresses bound; empty for front ends without a local listener. */
    List<SocketAddress> boundAddresses();

    /**
     * A session came up (first connect or reconnect). Front ends that need per-session setup (a remote
     * forward) do it here.
     *
     * @return completes when the setup is done; a failure is reported to the user
     */
    default CompletionStage<Void> sessionUp(TunnelSession session) {
        return java.util.concurrent.CompletableFuture.completedFuture(null);
    }

    /** Stops listening and closes local connections. Idempotent. */
    @Override
    void close();
}
