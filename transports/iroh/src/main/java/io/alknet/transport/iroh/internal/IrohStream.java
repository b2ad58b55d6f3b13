package io.alknet.transport.iroh.internal;

import io.alknet.api.stream.PeerInfo;
import io.alknet.api.stream.StreamHandler;
import io.alknet.api.stream.TransportStream;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One iroh bidirectional stream, its send and receive halves joined into one duplex {@link TransportStream}
 * (spec: "a bidirectional iroh stream is joined into one duplex stream for SSH").
 *
 * <h2>Threading</h2>
 * Public methods only take a short lock and make a non-blocking native call. Inbound events arrive on the
 * library's tokio threads, one stream's read events one at a time and in order: the library's read loop for
 * this stream calls the handler directly, so {@code onData}, {@code onInputClosed} and the final
 * {@code onClosed} never overlap. {@code onClosed} is delivered once the stream is finished <em>and</em> the
 * read loop has ended (or never started).
 *
 * <h2>Ownership</h2>
 * The stream owns its native handle and frees it once, in {@link #finish(Throwable)}. Writes are copied by
 * the library during {@link #write}; their stages complete in order as QUIC accepts the bytes (flow control is
 * the back-pressure callers see).
 */
final class IrohStream implements TransportStream {

    private final long handle;
    private final PeerInfo peer;
    private final IrohConnection connection;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private final ReentrantLock lock = new ReentrantLock();
    // Guarded by lock.
    private final ArrayDeque<CompletableFuture<Void>> pendingWrites = new ArrayDeque<>();
    private CompletableFuture<Void> shutdown;
    private boolean outputClosing; // shutdownOutput() or close() called
    private boolean closeRequested;
    private boolean outputDone;
    private boolean inputDone;
    private boolean finished;
    private boolean readLoopDone = true; // until started
    private boolean closedDelivered;
    private Throwable failure;
    private StreamHandler handler;

    IrohStream(long handle, PeerInfo peer, IrohConnection connection) {
        this.handle = handle;
        this.peer = peer;
        this.connection = connection;
        Native.register(handle, this::onEvent);
    }

    @Override
    public PeerInfo peer() {
        return peer;
    }

    @Override
    public void start(StreamHandler streamHandler) {
        Objects.requireNonNull(streamHandler, "handler");
        lock.lock();
        try {
            // the handler is set under the same lock that finish() and deliverClosedIfReady() take, so a close racing
            // this start either sees no handler (and leaves onClosed to us) or sees it
            if (!started.compareAndSet(false, true)) {
                throw new IllegalStateException("stream already started");
            }
            handler = streamHandler;
            if (!finished) {
                readLoopDone = false; // closed before anyone read: nothing to deliver but the close
            }
        } finally {
            lock.unlock();
        }
        if (!readLoopDone() && !Native.streamStart(handle)) {
            readLoopEnded();
        }
        deliverClosedIfReady();
    }

    private boolean readLoopDone() {
        lock.lock();
        try {
            return readLoopDone;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public CompletionStage<Void> write(ByteBuffer data) {
        Objects.requireNonNull(data, "data");
        lock.lock();
        try {
            if (finished || outputClosing) {
                return CompletableFuture.failedFuture(new ClosedChannelException());
            }
            CompletableFuture<Void> done = new CompletableFuture<>();
            if (!Native.streamWrite(handle, data)) {
                return CompletableFuture.failedFuture(new ClosedChannelException());
            }
            data.position(data.limit());
            pendingWrites.add(done);
            return done;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public CompletionStage<Void> writeCopy(ByteBuffer data) {
        return write(data); // the library copies during the call anyway
    }

    @Override
    public void pauseReading() {
        Native.streamPause(handle, true);
    }

    @Override
    public void resumeReading() {
        Native.streamPause(handle, false);
    }

    @Override
    public CompletionStage<Void> shutdownOutput() {
        CompletableFuture<Void> pending;
        boolean failed;
        lock.lock();
        try {
            if (shutdown != null) {
                return shutdown;
            }
            if (finished || closeRequested) {
                return closed;
            }
            outputClosing = true;
            shutdown = new CompletableFuture<>();
            pending = shutdown;
            failed = !Native.streamFinish(handle);
        } finally {
            lock.unlock();
        }
        if (failed) {
            finish(new ClosedChannelException()); // fails the pending shutdown too
        }
        return pending;
    }

    @Override
    public void close() {
        boolean finishNow;
        lock.lock();
        try {
            if (finished || closeRequested) {
                return;
            }
            closeRequested = true;
            if (shutdown == null) {
                outputClosing = true;
                shutdown = new CompletableFuture<>();
                finishNow = !Native.streamFinish(handle);
            } else {
                finishNow = outputDone;
            }
        } finally {
            lock.unlock();
        }
        if (finishNow) {
            finish(null);
        }
        // otherwise the stream finishes when EV_FINISHED (or a write failure) arrives
    }

    @Override
    public void abort() {
        lock.lock();
        try {
            if (finished) {
                return;
            }
        } finally {
            lock.unlock();
        }
        Native.streamReset(handle, 0);
        finish(new IOException("the stream was aborted"));
    }

    @Override
    public boolean isOpen() {
        return !closed.isDone();
    }

    @Override
    public CompletionStage<Void> closeFuture() {
        return closed;
    }

    @Override
    public String toString() {
        return "IrohStream[" + peer.transportIdentity().orElse("?") + "#" + handle + "]";
    }

    /** Events for this stream's handle, on a library thread. */
    private void onEvent(int kind, long value, MemorySegment data) {
        switch (kind) {
            case Native.EV_DATA -> {
                StreamHandler h = handler;
                if (h != null) {
                    try {
                        h.onData(data.asByteBuffer().asReadOnlyBuffer());
                    } catch (Throwable e) {
                        handlerFailed(e);
                    }
                }
            }
            case Native.EV_EOF -> {
                StreamHandler h = handler;
                try {
                    if (h != null) {
                        h.onInputClosed();
                    }
                } catch (Throwable e) {
                    handlerFailed(e);
                } finally {
                    endOfDirection(true);
                    readLoopEnded();
                }
            }
            case Native.EV_READ_FAILED -> {
                finish(failure(value, data));
                readLoopEnded();
            }
            case Native.EV_READ_STOPPED -> readLoopEnded();
            case Native.EV_WRITTEN -> {
                for (long i = 0; i < value; i++) {
                    completeWrite(null);
                }
            }
            case Native.EV_WRITE_FAILED -> {
                IOException error = failure(value, data);
                completeWrite(error);
                finish(error);
            }
            case Native.EV_FINISHED -> {
                CompletableFuture<Void> done;
                lock.lock();
                try {
                    done = shutdown;
                } finally {
                    lock.unlock();
                }
                if (done != null) {
                    done.complete(null);
                }
                endOfDirection(false);
            }
            default -> {
                // not a stream event
            }
        }
    }

    /** Its connection ended: the stream fails (its read loop, if any, reports its own end too). */
    void connectionEnded(IOException cause) {
        finish(cause);
    }

    /** The handler threw: the stream is reset and fails with that cause (the upcall must not see it). */
    private void handlerFailed(Throwable e) {
        Native.streamReset(handle, 1);
        finish(new IOException("stream handler failed: " + e, e));
    }

    private static IOException failure(long code, MemorySegment data) {
        String message = Native.message(data);
        return code == Native.E_RESET ? new StreamResetException(message) : new IOException(message);
    }

    private void completeWrite(Throwable error) {
        CompletableFuture<Void> done;
        lock.lock();
        try {
            done = pendingWrites.poll();
        } finally {
            lock.unlock();
        }
        if (done != null) {
            if (error == null) {
                done.complete(null);
            } else {
                done.completeExceptionally(error);
            }
        }
    }

    /** One direction ended; the stream closes when both have, or when a close waited for the output. */
    private void endOfDirection(boolean input) {
        boolean finishNow;
        lock.lock();
        try {
            if (input) {
                inputDone = true;
            } else {
                outputDone = true;
            }
            finishNow = (inputDone && outputDone) || (!input && closeRequested);
        } finally {
            lock.unlock();
        }
        if (finishNow) {
            finish(null);
        }
    }

    /** Ends the stream once: frees the handle, fails what is still queued, completes closeFuture. */
    private void finish(Throwable error) {
        List<CompletableFuture<Void>> dropped;
        CompletableFuture<Void> pendingShutdown;
        boolean endOfStreamSent;
        lock.lock();
        try {
            if (finished) {
                return;
            }
            finished = true;
            failure = error;
            dropped = List.copyOf(pendingWrites);
            pendingWrites.clear();
            pendingShutdown = shutdown;
            endOfStreamSent = outputDone;
        } finally {
            lock.unlock();
        }
        Native.streamFree(handle);
        for (CompletableFuture<Void> write : dropped) {
            write.completeExceptionally(error != null ? error : new ClosedChannelException());
        }
        if (pendingShutdown != null) {
            if (endOfStreamSent || (error == null && closeRequested())) {
                pendingShutdown.complete(null); // sent, or a close() that got here without a failure
            } else {
                pendingShutdown.completeExceptionally(error != null ? error : new ClosedChannelException());
            }
        }
        connection.streamClosed(this);
        closed.complete(null);
        deliverClosedIfReady();
    }

    private boolean closeRequested() {
        lock.lock();
        try {
            return closeRequested;
        } finally {
            lock.unlock();
        }
    }

    private void readLoopEnded() {
        lock.lock();
        try {
            readLoopDone = true;
        } finally {
            lock.unlock();
        }
        deliverClosedIfReady();
    }

    /** Calls {@code onClosed} once, after the last read event and after the stream finished. */
    private void deliverClosedIfReady() {
        StreamHandler h;
        Throwable error;
        lock.lock();
        try {
            if (!finished || !readLoopDone || closedDelivered || handler == null) {
                if (finished && readLoopDone && handler == null) {
                    Native.unregister(handle); // never started: no events to wait for; start() delivers onClosed
                }
                return;
            }
            closedDelivered = true;
            h = handler;
            error = failure;
        } finally {
            lock.unlock();
        }
        Native.unregister(handle);
        try {
            h.onClosed(error);
        } catch (Throwable e) {
            // the stream is closed either way; a failing handler must not break close() or the upcall
            org.slf4j.LoggerFactory.getLogger(IrohStream.class).debug("stream handler failed in onClosed", e);
        }
    }

    /** The peer reset the stream. */
    static final class StreamResetException extends IOException {
        StreamResetException(String message) {
            super(message);
        }
    }
}
