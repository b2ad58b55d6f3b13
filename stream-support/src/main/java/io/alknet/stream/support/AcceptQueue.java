package io.alknet.stream.support;

import io.alknet.api.stream.TransportStream;
import io.alknet.api.transport.Listener;
import io.alknet.api.transport.TransportAddress;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A {@link Listener} whose streams wait in a queue until {@link #accept()} takes them: the transport {@linkplain #offer
 * offers} each inbound stream as it is ready (accepted, handshake done). Closing fails a pending accept, aborts the
 * streams nobody took and runs the close action given at {@link #bound} (which frees the port or the socket file).
 * For a blocking accept call, {@link #acceptLoop} runs it on a virtual thread.
 *
 * <p>Threading: every method may be called from any thread and never blocks (but the close action may).
 */
public final class AcceptQueue implements Listener {

    /** Accepts one connection, blocking; for {@link #acceptLoop}. */
    @FunctionalInterface
    public interface BlockingAcceptor {
        /**
         * @return the next stream
         * @throws ClosedChannelException once the server socket is closed (the loop ends)
         * @throws IOException when one inbound connection failed (the loop goes on)
         */
        TransportStream accept() throws IOException;
    }

    // Guarded by this.
    private final ArrayDeque<TransportStream> ready = new ArrayDeque<>();
    private CompletableFuture<TransportStream> waiting;
    private TransportAddress address;
    private AutoCloseable onClose;
    private boolean closed;

    /** A queue whose address is known only once bound; call {@link #bound} then. */
    public AcceptQueue() {
    }

    /** A bound queue; {@code onClose} runs once, when it is closed. */
    public AcceptQueue(TransportAddress address, AutoCloseable onClose) {
        bound(address, onClose);
    }

    /** Accepts on a virtual thread with {@code acceptor} until it reports its socket closed or this queue is closed. */
    public static AcceptQueue acceptLoop(TransportAddress address, BlockingAcceptor acceptor, AutoCloseable onClose) {
        AcceptQueue queue = new AcceptQueue(address, onClose);
        Thread.ofVirtual().name("alknet-accept").start(() -> {
            while (!queue.isClosed()) {
                try {
                    queue.offer(acceptor.accept());
                } catch (ClosedChannelException e) {
                    queue.close();
                } catch (IOException | RuntimeException e) {
                    pause(); // e.g. out of file descriptors: back off instead of spinning
                }
            }
        });
        return queue;
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The bound address, and what closing must do: close the server socket, remove a socket file. */
    public synchronized void bound(TransportAddress boundAddress, AutoCloseable closeAction) {
        this.address = Objects.requireNonNull(boundAddress, "boundAddress");
        this.onClose = closeAction;
    }

    /** Hands a new inbound stream to {@link #accept()}; aborts it when the queue is closed. */
    public void offer(TransportStream stream) {
        CompletableFuture<TransportStream> taker;
        synchronized (this) {
            if (closed) {
                taker = null;
            } else if (waiting == null) {
                ready.add(stream);
                return;
            } else {
                taker = waiting;
                waiting = null;
            }
        }
        if (taker == null || !taker.complete(stream)) {
            stream.abort();
        }
    }

    @Override
    public synchronized TransportAddress address() {
        return address;
    }

    /** @throws IllegalStateException when an accept is already pending */
    @Override
    public synchronized CompletionStage<TransportStream> accept() {
        if (closed) {
            return CompletableFuture.failedFuture(new ClosedChannelException());
        }
        if (waiting != null) {
            throw new IllegalStateException("accept() already pending");
        }
        TransportStream next = ready.poll();
        if (next != null) {
            return CompletableFuture.completedFuture(next);
        }
        waiting = new CompletableFuture<>();
        return waiting;
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        CompletableFuture<TransportStream> taker;
        List<TransportStream> dropped;
        AutoCloseable action;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            taker = waiting;
            waiting = null;
            dropped = List.copyOf(ready);
            ready.clear();
            action = onClose;
        }
        dropped.forEach(TransportStream::abort);
        if (action != null) {
            try {
                action.close();
            } catch (Exception ignored) {
                // closing anyway
            }
        }
        if (taker != null) {
            taker.completeExceptionally(new ClosedChannelException());
        }
    }

    @Override
    public String toString() {
        return "AcceptQueue[" + address() + "]";
    }
}
