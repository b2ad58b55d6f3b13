package io.alknet.api.transport;

import io.alknet.api.stream.TransportStream;

import java.util.concurrent.CompletionStage;

/**
 * A bound server endpoint of a {@link Transport}. The kernel's accept loop calls {@link #accept()}
 * repeatedly and hands each stream to a stream interface.
 *
 * <p>Owner: the kernel creates it through {@link Transport#listen(TransportAddress)} and calls
 * {@link #close()} on shutdown.
 */
public interface Listener extends AutoCloseable {

    /** The address actually bound (a requested port {@code 0} replaced by the real one). */
    TransportAddress address();

    /**
     * The next inbound stream. At most one call may be outstanding. A failure of one inbound
     * connection (a bad handshake) is not reported here: the listener drops it and keeps accepting.
     *
     * @return completes with the next stream, or exceptionally once the listener is closed
     */
    CompletionStage<TransportStream> accept();

    /** Stops listening; pending {@link #accept()} stages fail. Open streams are not affected. Idempotent. */
    @Override
    void close();
}
