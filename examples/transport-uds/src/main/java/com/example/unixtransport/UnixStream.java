package com.example.unixtransport;

import io.alknet.api.stream.PeerInfo;
import io.alknet.api.stream.StreamHandler;
import io.alknet.api.stream.TransportStream;
import io.alknet.api.transport.SecurityLevel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A connected Unix-domain socket as a {@link TransportStream}, with blocking I/O on two virtual threads.
 *
 * <h2>Threading</h2>
 * The public methods may be called from any thread and never block: they only update state under a
 * short lock and queue work.
 * <ul>
 *   <li>The <em>writer</em> thread (started with the stream) takes queued operations one by one, so writes,
 *       {@link #shutdownOutput()} and {@link #close()} happen in call order whichever threads call them.
 *       Write stages complete on the writer thread once the bytes are in the socket's send buffer; when
 *       that buffer is full the writer blocks, and the stages stop completing: that is the back-pressure
 *       callers see.</li>
 *   <li>The <em>reader</em> thread (started by {@link #start}) is the only thread that calls the
 *       {@link StreamHandler}, so callbacks come one at a time and in order, and {@code onClosed} is the last
 *       one. While reading is paused it reads nothing, the socket's receive buffer fills and the peer's
 *       writes stop completing. A read already under way when {@link #pauseReading()} is called still
 *       delivers at most one buffer ({@value #READ_BUFFER} bytes).</li>
 * </ul>
 *
 * <h2>Closing</h2>
 * The stream closes on {@link #close()} (after the queued writes), on {@link #abort()} (dropping them), on an
 * I/O error, or once both directions ended (our end-of-stream sent and the peer's received). A Unix socket
 * cannot tell a peer's half-close from a full close: the peer's end shows as {@code onInputClosed}, and the
 * owner closes the stream (a later write to a gone peer fails and closes it too). Nor can it say "aborted":
 * an abort is a close to the peer, which sees an end of file, unless it had bytes unread (then Linux reports
 * a reset). A splice over this transport therefore passes an abort on as an end of data; keep it to trusted
 * local peers.
 */
final class UnixStream implements TransportStream {

    static final int READ_BUFFER = 64 * 1024;

    private enum Kind { DATA, SHUTDOWN, CLOSE }

    private record Op(Kind kind, ByteBuffer data, CompletableFuture<Void> done) {
    }

    private final SocketChannel channel;
    private final PeerInfo peer;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    // Guarded by lock.
    private final ArrayDeque<Op> queue = new ArrayDeque<>();
    private boolean paused;
    private boolean outputClosing; // shutdownOutput() or close() was called: no more writes
    private boolean closeRequested;
    private boolean outputDone;    // our end-of-stream was sent
    private boolean inputDone;     // the peer's end-of-stream arrived
    private boolean finished;
    private Throwable failure;
    private CompletableFuture<Void> shutdown;

    private UnixStream(SocketChannel channel, PeerInfo peer) {
        this.channel = channel;
        this.peer = peer;
    }

    /** Wraps a connected, blocking channel and starts its writer thread. */
    static UnixStream open(SocketChannel channel) throws IOException {
        PeerInfo peer = PeerInfo.socket(UnixTransport.SCHEME, SecurityLevel.UNPROTECTED,
                channel.getRemoteAddress(), channel.getLocalAddress());
        UnixStream stream = new UnixStream(channel, peer);
        Thread.ofVirtual().name("unix-write").start(stream::writeLoop);
        return stream;
    }

    @Override
    public PeerInfo peer() {
        return peer;
    }

    @Override
    public void start(StreamHandler handler) {
        Objects.requireNonNull(handler, "handler");
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("stream already started");
        }
        Thread.ofVirtual().name("unix-read").start(() -> readLoop(handler));
    }

    @Override
    public CompletionStage<Void> write(ByteBuffer data) {
        Objects.requireNonNull(data, "data");
        return enqueue(Kind.DATA, data);
    }

    @Override
    public CompletionStage<Void> shutdownOutput() {
        lock.lock();
        try {
            if (shutdown != null) {
                return shutdown;
            }
            if (finished || closeRequested) {
                return closed; // the end-of-stream goes (or went) out with the close
            }
            shutdown = enqueue(Kind.SHUTDOWN, null);
            return shutdown;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        enqueue(Kind.CLOSE, null); // refused (and ignored) when already closing
    }

    @Override
    public void abort() {
        finish(new IOException("the stream was aborted"));
    }

    @Override
    public void pauseReading() {
        setPaused(true);
    }

    @Override
    public void resumeReading() {
        setPaused(false);
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
        return "UnixStream[" + peer.remoteLabel() + "]";
    }

    private CompletableFuture<Void> enqueue(Kind kind, ByteBuffer data) {
        lock.lock();
        try {
            if (finished || closeRequested || (kind != Kind.CLOSE && outputClosing)) {
                // a write after close or after shutdownOutput
                return CompletableFuture.failedFuture(new ClosedChannelException());
            }
            outputClosing |= kind != Kind.DATA;
            closeRequested |= kind == Kind.CLOSE;
            CompletableFuture<Void> done = new CompletableFuture<>();
            queue.add(new Op(kind, data, done));
            changed.signalAll();
            return done;
        } finally {
            lock.unlock();
        }
    }

    private void setPaused(boolean value) {
        lock.lock();
        try {
            paused = value;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Closes the socket once; wakes both threads, fails the writes still queued, completes closeFuture. */
    private void finish(Throwable error) {
        List<Op> dropped;
        lock.lock();
        try {
            if (finished) {
                return;
            }
            finished = true;
            failure = error;
            dropped = List.copyOf(queue);
            queue.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            channel.close(); // a blocked read or write fails with AsynchronousCloseException
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Op op : dropped) {
            if (op.kind() == Kind.DATA) {
                op.done().completeExceptionally(new ClosedChannelException());
            } else {
                op.done().complete(null);
            }
        }
        closed.complete(null);
    }

    private void writeLoop() {
        Op op = null;
        try {
            while ((op = nextOp()) != null) {
                switch (op.kind()) {
                    case DATA -> {
                        while (op.data().hasRemaining()) {
                            channel.write(op.data());
                        }
                        op.done().complete(null);
                    }
                    case SHUTDOWN -> {
                        channel.shutdownOutput();
                        op.done().complete(null);
                        endOfDirection(false);
                    }
                    case CLOSE -> {
                        finish(null);
                        op.done().complete(null);
                        return;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            finish(e); // no-op when an abort closed the socket under the blocked write
            if (op != null && op.kind() == Kind.DATA) {
                op.done().completeExceptionally(e instanceof IOException ? e : new IOException(e));
            } else if (op != null) {
                op.done().complete(null);
            }
        }
    }

    /** The next queued operation, or {@code null} once the stream is finished. */
    private Op nextOp() {
        lock.lock();
        try {
            while (queue.isEmpty() && !finished) {
                changed.awaitUninterruptibly();
            }
            return finished ? null : queue.poll();
        } finally {
            lock.unlock();
        }
    }

    private void readLoop(StreamHandler handler) {
        ByteBuffer buffer = ByteBuffer.allocate(READ_BUFFER);
        try {
            while (awaitReadable()) {
                buffer.clear();
                if (channel.read(buffer) < 0) {
                    handler.onInputClosed();
                    endOfDirection(true);
                    break;
                }
                handler.onData(buffer.flip());
            }
        } catch (IOException e) {
            finish(e); // no-op when the stream was closed under the blocked read
        } catch (RuntimeException e) {
            finish(new IOException("stream handler failed", e));
        }
        closed.join(); // after the peer's end-of-stream: until the owner closes, nothing more to deliver
        Throwable error;
        lock.lock();
        try {
            error = failure;
        } finally {
            lock.unlock();
        }
        handler.onClosed(error);
    }

    /** Waits while paused; false once the stream is finished. */
    private boolean awaitReadable() {
        lock.lock();
        try {
            while (paused && !finished) {
                changed.awaitUninterruptibly();
            }
            return !finished;
        } finally {
            lock.unlock();
        }
    }

    /** One direction ended; the stream closes when both have. */
    private void endOfDirection(boolean input) {
        boolean both;
        lock.lock();
        try {
            if (input) {
                inputDone = true;
            } else {
                outputDone = true;
            }
            both = inputDone && outputDone;
        } finally {
            lock.unlock();
        }
        if (both) {
            finish(null);
        }
    }
}
