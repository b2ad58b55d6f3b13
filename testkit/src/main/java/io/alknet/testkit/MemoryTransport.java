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
import io.alknet.stream.support.AbstractTransportStream;
import io.alknet.stream.support.AcceptQueue;
import io.alknet.stream.support.SerialExecutor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * A transport inside one JVM, for tests of interfaces and front ends without sockets: {@code memory://NAME}
 * listens under a name, {@code connect} to the same name yields a connected pair of streams. The streams
 * keep the whole {@link TransportStream} contract (it passes {@code TransportContract}), and are a small example of
 * {@link AbstractTransportStream}: a write is handed to the peer, whose handler gets it on a virtual thread, and
 * completes once that handler took the bytes (so a paused reader holds writers back, one write at a time);
 * half-close, close and abort are messages to the peer. Listeners are shared by every {@code MemoryTransport} of
 * the JVM. Thread-safe.
 */
public final class MemoryTransport implements Transport {

    private static final Map<String, AcceptQueue> LISTENERS = new ConcurrentHashMap<>();
    private static final Executor VIRTUAL_THREADS = task -> Thread.ofVirtual().name("memory-stream").start(task);

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
        AcceptQueue listener = LISTENERS.get(address.host());
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
        AcceptQueue listener = new AcceptQueue();
        listener.bound(TransportAddress.of("memory", name, address.port()), () -> LISTENERS.remove(name, listener));
        if (LISTENERS.putIfAbsent(name, listener) != null) {
            return CompletableFuture.failedFuture(new AlknetException(ErrorCode.INVALID_CONFIG, "memory://" + name + " is taken"));
        }
        return CompletableFuture.completedFuture(listener);
    }

    @Override
    public void close() {
        // listeners close themselves
    }

    /** What travels to the peer: bytes with the write they complete, or (both null) the end of the data. */
    private record Chunk(ByteBuffer data, CompletableFuture<Void> written) {
        static final Chunk END = new Chunk(null, null);
    }

    /** One end. Its inbound events are handled on a serial virtual thread, one at a time, in order. */
    private static final class MemoryStream extends AbstractTransportStream<Chunk> {
        private final SerialExecutor inbound;
        private volatile MemoryStream peer;

        MemoryStream(String side) {
            this(side, SerialExecutor.on(VIRTUAL_THREADS));
        }

        private MemoryStream(String side, SerialExecutor inbound) {
            super(new PeerInfo("memory", SecurityLevel.UNPROTECTED, Optional.empty(), Optional.empty(), Optional.of(side),
                    Optional.empty()), inbound, SerialExecutor.inline());
            this.inbound = inbound;
        }

        /** From the peer: handled on this side's delivery thread, never on the peer's. */
        private void receive(Chunk chunk) {
            inbound.execute(() -> {
                if (chunk == Chunk.END) {
                    inputEnded();
                } else {
                    dataArrived(chunk);
                }
            });
        }

        @Override
        protected boolean oneWriteAtATime() {
            return true;
        }

        @Override
        protected void doWrite(Chunk chunk) {
            chunk.written().whenComplete((ignored, error) -> {
                if (error == null) {
                    written(1);
                } else {
                    writeFailed(error); // as TCP answers a write to a closed socket with a reset
                }
            });
            if (!peer.isOpen()) {
                chunk.written().completeExceptionally(new IOException("the peer closed the stream"));
                return;
            }
            peer.receive(chunk);
        }

        @Override
        protected void doShutdownOutput() {
            peer.receive(Chunk.END);
            outputShutdown();
        }

        @Override
        protected void doClose() {
            peer.receive(Chunk.END); // ignored when the end went out already
            transportClosed(null);
        }

        /** Ends both ends at once: the peer drops what it holds, and each side's handler is told an error (a reset). */
        @Override
        protected void doAbort(Throwable cause) {
            transportClosed(cause);
            peer.transportFailed(new IOException("the stream was reset by the peer"));
        }

        @Override
        protected void doPauseReading() {
            // the peer's write waits for this side's handler: pausing holds it back
        }

        @Override
        protected void doResumeReading() {
        }

        @Override
        protected Chunk retain(Chunk chunk) {
            return chunk; // a copy already, made by the writer
        }

        @Override
        protected void release(Chunk chunk) {
            chunk.written().completeExceptionally(new IOException("the peer closed"));
        }

        @Override
        protected void deliver(StreamHandler handler, Chunk chunk) {
            try {
                handler.onData(chunk.data());
            } finally {
                chunk.written().complete(null);
            }
        }

        @Override
        protected Chunk wrap(ByteBuffer data) {
            return copyOf(data);
        }

        @Override
        protected Chunk copyOf(ByteBuffer data) {
            return new Chunk(ByteBuffer.allocate(data.remaining()).put(data).flip(), new CompletableFuture<>());
        }
    }
}
