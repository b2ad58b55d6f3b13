package io.alknet.api.stream;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;

/**
 * An asynchronous, ordered, duplex byte stream with back-pressure and half-close: a TCP or TLS
 * connection, an iroh bidirectional stream, or a channel inside a tunnel session.
 *
 * <h2>Life cycle</h2>
 * A stream is created open. Nothing is read until {@link #start(StreamHandler)}; bytes that arrive
 * earlier wait in the transport. The stream ends when both sides closed, when {@link #close()} or
 * {@link #abort()} is called, or on an error; {@link #closeFuture()} completes then. A failed write ends the
 * stream with that error ({@link StreamHandler#onClosed(Throwable)} gets it), so whoever passes the data on
 * can abort the far side instead of ending it cleanly.
 *
 * <h2>Threading</h2>
 * Every method may be called from any thread and never blocks. Handler callbacks come from the
 * transport's I/O thread. Close may race with writes: writes after close fail their stage with an
 * {@link java.io.IOException}.
 */
public interface TransportStream {

    /** What is known about the peer; constant for the life of the stream. */
    PeerInfo peer();

    /**
     * How the stream reaches its peer right now, for people (a client's status line): the transport's name, and
     * for a transport with several ways to the peer the one that carries it now, e.g. {@code iroh direct} or
     * {@code iroh relay}. May change over the stream's life; the default is {@link PeerInfo#transport()}.
     */
    default String route() {
        return peer().transport();
    }

    /**
     * Starts delivering inbound events to {@code handler}. Must be called exactly once.
     *
     * @throws IllegalStateException when called twice
     */
    void start(StreamHandler handler);

    /**
     * Queues {@code data} for sending. The stream owns the buffer until the returned stage completes;
     * the caller must not modify it meanwhile. Writes are sent in call order. Any number of writes may
     * be outstanding; callers that produce faster than the stream drains should wait for the stages
     * (see {@link Splice}).
     *
     * @return completes when the bytes were handed to the transport, or exceptionally with an
     *     {@link java.io.IOException} when the stream failed or is closed
     */
    CompletionStage<Void> write(ByteBuffer data);

    /**
     * Writes a copy of {@code data}, which is only valid during this call (as in
     * {@link StreamHandler#onData}). The default copies into a heap buffer; transports override it to
     * copy straight into their own buffers and save a copy.
     */
    default CompletionStage<Void> writeCopy(ByteBuffer data) {
        return write(ByteBuffer.allocate(data.remaining()).put(data).flip());
    }

    /** Stops reading from the peer until {@link #resumeReading()}; idempotent. */
    void pauseReading();

    /** Resumes reading after {@link #pauseReading()}; idempotent. */
    void resumeReading();

    /**
     * Half-close: sends end-of-stream after every queued write is sent, never before (a reader slower than
     * the writer must still get every byte); reading continues. Writes after it fail. Idempotent.
     *
     * @return completes when the end-of-stream was sent
     */
    CompletionStage<Void> shutdownOutput();

    /**
     * Graceful close: every queued write is sent, then end-of-stream, then the stream closes; the peer sees
     * a clean end after the last byte. A transport may abort instead when the peer stops reading for a long
     * time. Idempotent.
     */
    void close();

    /**
     * Immediate close: queued writes are dropped and the peer's stream ends with an error (a reset), never
     * with a clean end of data; this stream's handler is told an error too. Idempotent.
     */
    void abort();

    /** True until the stream is closed. */
    boolean isOpen();

    /** Completes (normally) once the stream is closed, whatever the reason. */
    CompletionStage<Void> closeFuture();
}
