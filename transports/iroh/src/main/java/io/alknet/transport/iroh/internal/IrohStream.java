package io.alknet.transport.iroh.internal;

import io.alknet.api.stream.PeerInfo;
import io.alknet.stream.support.AbstractByteBufferStream;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One iroh bidirectional stream, its send and receive halves joined into one duplex
 * {@link io.alknet.api.stream.TransportStream} (spec: "a bidirectional iroh stream is joined into one duplex stream
 * for SSH"). The stream rules are {@link AbstractByteBufferStream}'s; this class maps them to the library's calls and
 * events.
 *
 * <h2>Threading</h2>
 * Events arrive on the library's tokio threads: one stream's read events one at a time, in order, its write events
 * from its writer task. Data is handed to the handler from the tokio thread without a copy (the library lends it for
 * the upcall) unless the stream is busy on another thread or paused, when it is copied and held. Writes are copied by
 * the library during {@code streamWrite}; they complete in order as QUIC accepts the bytes (flow control is the
 * back-pressure callers see), and the end of stream is queued after them.
 *
 * <h2>Ownership</h2>
 * The stream owns its native handle and frees it once, in {@link #finish(Throwable)}; it stops listening for the
 * handle's events once it is finished and its read loop ended (or never started).
 */
final class IrohStream extends AbstractByteBufferStream {

    private static final int READING = 1;
    private static final int READ_DONE = 1 << 1;
    private static final int FINISHED = 1 << 2;
    private static final int UNREGISTERED = 1 << 3;

    private final long handle;
    private final IrohConnection connection;
    private final AtomicInteger lifecycle = new AtomicInteger();
    /** The read loop was started (inbound executor only). */
    private boolean readStarted;
    /** The end of stream was queued by {@link #doClose()}: its completion finishes the stream. */
    private volatile boolean finishing;
    private volatile boolean endSent;

    IrohStream(long handle, PeerInfo peer, IrohConnection connection) {
        super(peer);
        this.handle = handle;
        this.connection = connection;
        Native.register(handle, this::onEvent);
    }

    /** {@code iroh direct}, {@code iroh relay}: whichever carries the connection now (hole punching moves it). */
    @Override
    public String route() {
        return "iroh " + connection.path();
    }

    @Override
    protected void doWrite(ByteBuffer data) {
        if (Native.streamWrite(handle, data)) {
            data.position(data.limit());
        } else {
            writeFailed(new ClosedChannelException());
        }
    }

    @Override
    protected void doShutdownOutput() {
        if (!Native.streamFinish(handle)) {
            transportFailed(new ClosedChannelException());
        }
    }

    @Override
    protected void doClose() {
        if (endSent) {
            finish(null);
            return;
        }
        finishing = true; // the stream finishes when EV_FINISHED (or a write failure) arrives
        if (!Native.streamFinish(handle)) {
            finish(new ClosedChannelException());
        }
    }

    @Override
    protected void doAbort(Throwable cause) {
        Native.streamReset(handle, 0);
        finish(cause);
    }

    @Override
    protected void doPauseReading() {
        Native.streamPause(handle, true);
    }

    @Override
    protected void doResumeReading() {
        Native.streamPause(handle, false);
        if (readStarted) {
            return;
        }
        readStarted = true;
        lifecycle.getAndUpdate(state -> state | READING);
        if (!Native.streamStart(handle)) {
            readLoopEnded();
        }
    }

    @Override
    public String toString() {
        return "IrohStream[" + peer().transportIdentity().orElse("?") + "#" + handle + "]";
    }

    /** Events for this stream's handle, on a library thread. */
    private void onEvent(int kind, long value, MemorySegment data) {
        switch (kind) {
            case Native.EV_DATA -> dataArrived(data.asByteBuffer().asReadOnlyBuffer());
            case Native.EV_EOF -> {
                inputEnded();
                readLoopEnded();
            }
            case Native.EV_READ_FAILED -> {
                transportFailed(failure(value, data));
                readLoopEnded();
            }
            case Native.EV_READ_STOPPED -> readLoopEnded();
            case Native.EV_WRITTEN -> written((int) value);
            case Native.EV_WRITE_FAILED -> writeFailed(failure(value, data));
            case Native.EV_FINISHED -> {
                endSent = true;
                if (finishing) {
                    finish(null);
                } else {
                    outputShutdown();
                }
            }
            default -> {
                // not a stream event
            }
        }
    }

    /** Its connection ended: the stream fails. */
    void connectionEnded(IOException cause) {
        finish(cause);
    }

    private static IOException failure(long code, MemorySegment data) {
        String message = Native.message(data);
        return code == Native.E_RESET ? new StreamResetException(message) : new IOException(message);
    }

    /** Ends the stream once: frees the handle and reports the close. */
    private void finish(Throwable error) {
        if ((lifecycle.getAndUpdate(state -> state | FINISHED) & FINISHED) != 0) {
            return;
        }
        Native.streamFree(handle);
        connection.streamClosed(this);
        transportClosed(error);
        unregisterIfDone();
    }

    private void readLoopEnded() {
        lifecycle.getAndUpdate(state -> state | READ_DONE);
        unregisterIfDone();
    }

    /** No more events once finished and the read loop ended (or never started). */
    private void unregisterIfDone() {
        int state = lifecycle.get();
        boolean readLoopOver = (state & READING) == 0 || (state & READ_DONE) != 0;
        if ((state & FINISHED) != 0 && readLoopOver
                && (lifecycle.getAndUpdate(s -> s | UNREGISTERED) & UNREGISTERED) == 0) {
            Native.unregister(handle);
        }
    }

    /** The peer reset the stream. */
    static final class StreamResetException extends IOException {
        StreamResetException(String message) {
            super(message);
        }
    }
}
