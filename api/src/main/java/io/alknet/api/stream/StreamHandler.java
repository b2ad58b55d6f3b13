package io.alknet.api.stream;

import java.nio.ByteBuffer;

/**
 * Receives the inbound events of one {@link TransportStream}.
 *
 * <p>Threading: the stream calls these methods one at a time, in order, from its I/O thread. They must
 * not block; hand long work to another executor. After {@link #onClosed(Throwable)} no other call follows.
 */
public interface StreamHandler {

    /**
     * Bytes arrived. The buffer is only valid during this call (the transport may reuse it); copy what
     * you keep. After {@link TransportStream#pauseReading()} a bounded amount of already-read data may
     * still arrive.
     */
    void onData(ByteBuffer data);

    /** The peer finished sending (half-close). Writing is still possible until the stream closes. */
    default void onInputClosed() {
    }

    /**
     * The stream is fully closed.
     *
     * @param error the failure that closed it (a reset, a failed write, an abort on either side), or
     *              {@code null} for an orderly close
     */
    void onClosed(Throwable error);
}
