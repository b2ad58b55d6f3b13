package io.alknet.testkit;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.api.stream.PeerInfo;
import io.alknet.api.stream.StreamHandler;
import io.alknet.api.stream.TransportStream;
import io.alknet.api.transport.Listener;
import io.alknet.api.transport.SecurityLevel;
import io.alknet.api.transport.Transport;
import io.alknet.api.transport.TransportAddress;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A transport inside one JVM, for tests of interfaces and front ends without sockets: {@code memory://NAME}
 * listens under a name, {@code connect} to the same name yields a connected pair of streams. The streams
 * keep the whole {@link TransportStream} contract (it passes {@code TransportContract}): bytes in order,
 * a write completes when the peer's handler took the bytes (so a paused reader holds writers back),
 * half-close, close after the queued writes, abort. Listeners are shared by every {@code MemoryTransport}
 * of the JVM. Thread-safe.
 */
public final class MemoryTransport implements Transport {

    private static final Map<String, MemoryListener> LISTENERS = new ConcurrentHashMap<>();

    @Override
    public String scheme() {
        return "memory";
    }

    @Override
    public SecurityLevel security() {
        return SecurityLevel.UNPROTECTED;
    }

    @Override
    public CompletionStage<TransportStream> connect(TransportAddress address) {
        MemoryListener listener = LISTENERS.get(address.host());
        if (listener == null) {
            return CompletableFuture.failedFuture(new AlknetException(ErrorCode.TARGET_REFUSED, "connection refused"));
        }
        MemoryStream client = new MemoryStream("client");
        MemoryStream server = new MemoryStream("server");
        client.peer = server;
        server.peer = client;
        listener.offer(server);
        return CompletableFuture.completedFuture(client);
    }

    @Override
    public CompletionStage<Listener> listen(TransportAddress address) {
        String name = address.host().isEmpty() || address.port() == 0 && address.host().equals("*")
                ? "memory-" + System.nanoTime() : address.host();
        MemoryListener listener = new MemoryListener(TransportAddress.of("memory", name, address.port()));
        if (LISTENERS.putIfAbsent(name, listener) != null) {
            return CompletableFuture.failedFuture(new AlknetException(ErrorCode.INVALID_CONFIG, "memory://" + name + " is taken"));
        }
        return CompletableFuture.completedFuture(listener);
    }

    @Override
    public void close() {
        // listeners close themselves
    }

    private static final class MemoryListener implements Listener {
        private final TransportAddress address;
        private final Queue<TransportStream> ready = new ArrayDeque<>();
        private CompletableFuture<TransportStream> waiting;
        private boolean closed;

        MemoryListener(TransportAddress address) {
            this.address = address;
        }

        void offer(TransportStream stream) {
            CompletableFuture<TransportStream> target;
            synchronized (this) {
                if (closed) {
                    stream.abort();
                    return;
                }
                if (waiting == null) {
                    ready.add(stream);
                    return;
                }
                target = waiting;
                waiting = null;
            }
            target.complete(stream);
        }

        @Override
        public TransportAddress address() {
            return address;
        }

        @Override
        public synchronized CompletionStage<TransportStream> accept() {
            if (closed) {
                return CompletableFuture.failedFuture(new ClosedChannelException());
            }
            TransportStream next = ready.poll();
            if (next != null) {
                return CompletableFuture.completedFuture(next);
            }
            waiting = new CompletableFuture<>();
            return waiting;
        }

        @Override
        public void close() {
            CompletableFuture<TransportStream> pending;
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
                pending = waiting;
                waiting = null;
                ready.forEach(TransportStream::abort);
                ready.clear();
            }
            LISTENERS.remove(address.host(), this);
            if (pending != null) {
                pending.completeExceptionally(new ClosedChannelException());
            }
        }
    }

    /** One end. Inbound events are delivered on a serial virtual thread, one at a time, in order. */
    private static final class MemoryStream implements TransportStream {
        private final PeerInfo info;
        private final ExecutorService delivery = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("memory-stream").factory());
        private final Queue<Inbound> inbound = new ArrayDeque<>();
        private final CompletableFuture<Void> closed = new CompletableFuture<>();
        private volatile MemoryStream peer;
        private StreamHandler handler;
        private boolean paused;
        private boolean draining;
        private boolean outputDone;
        private boolean inputDone;
        private Throwable failure; // guarded by this: what finish() ended the stream with

        /** Data (with the writer's completion) or, when {@code data} is null, the peer's end-of-stream. */
        private record Inbound(ByteBuffer data, CompletableFuture<Void> written) {
        }

        MemoryStream(String side) {
            this.info = new PeerInfo("memory", SecurityLevel.UNPROTECTED, java.util.Optional.empty(), java.util.Optional.empty(),
                    java.util.Optional.of(side), java.util.Optional.empty());
        }

        @Override
        public PeerInfo peer() {
            return info;
        }

        @Override
        public void start(StreamHandler streamHandler) {
            boolean ended;
            Throwable error;
            synchronized (this) {
                if (handler != null) {
                    throw new IllegalStateException("stream already started");
                }
                handler = streamHandler;
                // decided under the lock finish() takes: exactly one of the two tells the handler
                ended = closed.isDone();
                error = failure;
            }
            if (ended) {
                Thread.ofVirtual().start(() -> streamHandler.onClosed(error));
                return;
            }
            pump();
        }

        @Override
        public CompletionStage<Void> write(ByteBuffer data) {
            synchronized (this) {
                if (closed.isDone() || outputDone) {
                    return CompletableFuture.failedFuture(new ClosedChannelException());
                }
            }
            ByteBuffer copy = ByteBuffer.allocate(data.remaining()).put(data).flip();
            CompletableFuture<Void> written = new CompletableFuture<>();
            if (!peer.receive(new Inbound(copy, written))) {
                // as TCP answers a write to a closed socket with a reset: the write fails, and so does this stream
                finish(new IOException("the peer closed the stream"));
            }
            return written;
        }

        /** Queues an event from the peer; false (and the write failed) when this end is closed. */
        boolean receive(Inbound event) {
            synchronized (this) {
                if (closed.isDone()) {
                    if (event.written() != null) {
                        event.written().completeExceptionally(new IOException("the peer closed"));
                    }
                    return false;
                }
                inbound.add(event);
            }
            pump();
            return true;
        }

        private void pump() {
            synchronized (this) {
                if (draining || handler == null || paused || inbound.isEmpty() || closed.isDone()) {
                    return;
                }
                draining = true;
            }
            delivery.execute(this::drain);
        }

        private void drain() {
            while (true) {
                Inbound next;
                StreamHandler target;
                synchronized (this) {
                    if (paused || inbound.isEmpty() || closed.isDone()) {
                        draining = false;
                        return;
                    }
                    next = inbound.poll();
                    target = handler;
                }
                if (next.data() != null) {
                    target.onData(next.data());
                    next.written().complete(null);
                } else {
                    boolean both;
                    synchronized (this) {
                        inputDone = true;
                        both = outputDone;
                    }
                    target.onInputClosed();
                    if (both) {
                        finish(null);
                    }
                }
            }
        }

        @Override
        public void pauseReading() {
            synchronized (this) {
                paused = true;
            }
        }

        @Override
        public void resumeReading() {
            synchronized (this) {
                paused = false;
            }
            pump();
        }

        @Override
        public CompletionStage<Void> shutdownOutput() {
            boolean both;
            synchronized (this) {
                if (outputDone || closed.isDone()) {
                    return CompletableFuture.completedFuture(null);
                }
                outputDone = true;
                both = inputDone;
            }
            peer.receive(new Inbound(null, null));
            if (both) {
                finish(null);
            }
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void close() {
            shutdownOutput();
            finish(null);
        }

        /** Ends both ends at once: queued events are dropped, and each side's handler is told an error (a reset). */
        @Override
        public void abort() {
            finish(new IOException("the stream was aborted"));
            MemoryStream other = peer;
            if (other != null) {
                other.finish(new IOException("the stream was reset by the peer"));
            }
        }

        private void finish(Throwable error) {
            Queue<Inbound> dropped;
            StreamHandler target;
            synchronized (this) {
                if (closed.isDone()) {
                    return;
                }
                failure = error;
                closed.complete(null);
                dropped = new ArrayDeque<>(inbound);
                inbound.clear();
                target = handler;
            }
            for (Inbound event : dropped) {
                if (event.written() != null) {
                    event.written().completeExceptionally(new IOException("the peer closed"));
                }
            }
            if (target != null) {
                delivery.execute(() -> target.onClosed(error));
            }
            delivery.shutdown();
        }

        @Override
        public boolean isOpen() {
            return !closed.isDone();
        }

        @Override
        public CompletionStage<Void> closeFuture() {
            return closed;
        }
    }
}
