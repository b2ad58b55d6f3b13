package io.alknet.api.interfaces;

/**
 * A listener the server opened for a client's remote forward. Closed by the interface when the
 * client cancels the forward or the session ends.
 */
public interface RemoteListener extends AutoCloseable {

    /** The port actually bound (useful when the client asked for port 0). */
    int port();

    /** Stops listening; connections already accepted are not affected. Idempotent. */
    @Override
    void close();
}
