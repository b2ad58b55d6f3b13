package io.alknet.ssh.internal.io;

import io.alknet.api.stream.PeerInfo;
import io.alknet.api.stream.StreamHandler;
import io.alknet.api.stream.TransportStream;
import org.apache.sshd.common.future.CloseFuture;
import org.apache.sshd.common.future.DefaultCloseFuture;
import org.apache.sshd.common.io.IoHandler;
import org.apache.sshd.common.io.IoService;
import org.apache.sshd.common.io.IoSession;
import org.apache.sshd.common.io.IoWriteFuture;
import org.apache.sshd.common.util.Readable;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.closeable.AbstractCloseable;
import org.apache.sshd.common.util.threads.ThreadUtils;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A MINA {@link IoSession} whose bytes travel over an alknet {@link TransportStream}. Inbound data is
 * handed to MINA's {@link IoHandler} without copying; outbound packets are wrapped, not copied.
 */
public final class StreamIoSession extends AbstractCloseable implements IoSession {

    private static final Object NULL_VALUE = new Object();

    private final long id;
    private final StreamIoService service;
    private final IoHandler handler;
    private final TransportStream stream;
    private final SocketAddress acceptanceAddress;
    private final Map<Object, Object> attributes = new ConcurrentHashMap<>();
    private final AtomicReference<CompletableFuture<Void>> lastWrite =
            new AtomicReference<>(CompletableFuture.completedFuture(null));
    private final Object writeLock = new Object();
    // guarded by writeLock: packets held back while a batch runs, and how deeply batches nest
    private List<ByteBuffer> batched;
    private int batchDepth;

    StreamIoSession(long id, StreamIoService service, IoHandler handler, TransportStream stream, SocketAddress acceptanceAddress) {
        super(); // no per-session "discriminator": MINA would make (and logback keep forever) a logger per session
        this.id = id;
        this.service = Objects.requireNonNull(service, "service");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.stream = Objects.requireNonNull(stream, "stream");
        this.acceptanceAddress = acceptanceAddress;
    }

    /** Creates the MINA session on top of the stream and starts reading. */
    void begin() throws Exception {
        service.register(this);
        handler.sessionCreated(this);
        stream.start(new StreamHandler() {
            @Override
            public void onData(ByteBuffer data) {
                if (isClosing()) {
                    return;
                }
                try {
                    handler.messageReceived(StreamIoSession.this, Readable.readable(data));
                } catch (Throwable e) {
                    failed(e);
                }
            }

            @Override
            public void onInputClosed() {
                // SSH has no use for a half-open transport: end of input ends the session.
                close(true);
            }

            @Override
            public void onClosed(Throwable error) {
                if (error != null) {
                    failed(error);
                } else {
                    close(true);
                }
            }
        });
    }

    private void failed(Throwable error) {
        if (!isClosing()) {
            try {
                handler.exceptionCaught(this, error);
            } catch (Throwable ignored) {
                // the session is closed below in any case
            }
        }
        close(true);
    }

    /** The transport stream under this session. */
    public TransportStream stream() {
        return stream;
    }

    /** The transport's peer information. */
    public PeerInfo peer() {
        return stream.peer();
    }

    @Override
    public long getId() {
        return id;
    }

    @Override
    public SocketAddress getAcceptanceAddress() {
        return acceptanceAddress;
    }

    @Override
    public Object getAttribute(Object key) {
        Object value = attributes.get(key);
        return value == NULL_VALUE ? null : value;
    }

    @Override
    public Object setAttribute(Object key, Object value) {
        Object previous = attributes.put(key, value == null ? NULL_VALUE : value);
        return previous == NULL_VALUE ? null : previous;
    }

    @Override
    public Object setAttributeIfAbsent(Object key, Object value) {
        Object previous = attributes.putIfAbsent(key, value == null ? NULL_VALUE : value);
        return previous == NULL_VALUE ? null : previous;
    }

    @Override
    public Object removeAttribute(Object key) {
        Object previous = attributes.remove(key);
        return previous == NULL_VALUE ? null : previous;
    }

    @Override
    public SocketAddress getRemoteAddress() {
        return stream.peer().remoteAddress().orElseGet(() -> placeholder(stream.peer()));
    }

    @Override
    public SocketAddress getLocalAddress() {
        return stream.peer().localAddress().orElseGet(() -> new InetSocketAddress(0));
    }

    /** Transports without socket addresses (iroh) get an unresolved address naming the peer. */
    private static SocketAddress placeholder(PeerInfo peer) {
        return InetSocketAddress.createUnresolved(peer.transportIdentity().orElse(peer.transport()), 0);
    }

    @Override
    public IoWriteFuture writeBuffer(Buffer buffer) {
        StreamWriteFuture future = new StreamWriteFuture(this);
        if (isClosing() || !stream.isOpen()) {
            future.complete(new ClosedChannelException());
            return future;
        }
        ByteBuffer bytes = ByteBuffer.wrap(buffer.array(), buffer.rpos(), buffer.available());
        CompletableFuture<Void> written;
        synchronized (writeLock) {
            // every packet goes through this lock, so one written while a batch runs cannot overtake it
            if (batchDepth > 0) {
                batched.add(ByteBuffer.allocate(bytes.remaining()).put(bytes).flip()); // MINA may reuse its buffer once told
                written = null;
            } else {
                written = send(bytes);
            }
        }
        if (written == null) {
            // Queued in order: written as far as MINA's ordering is concerned (it sends a channel's CLOSE only
            // once its EOF is written). Should the batch's write fail, the session closes.
            completeAsInternal(future, null);
        } else {
            // As an "internal" thread, MINA listeners queue packets during a key exchange instead of
            // blocking this (I/O) thread.
            written.whenComplete((ignored, error) -> completeAsInternal(future, error));
        }
        return future;
    }

    /**
     * Runs {@code packets}, which writes packets, and sends what they wrote in one transport write: a
     * channel's EOF and CLOSE, say, one system call and one wake-up of the peer instead of two. Packets
     * written meanwhile count as written once queued, so MINA can follow up on them within the batch.
     * Batches nest.
     */
    public void batch(Runnable packets) {
        synchronized (writeLock) {
            if (batchDepth++ == 0) {
                batched = new ArrayList<>(4);
            }
        }
        CompletableFuture<Void> written = null;
        try {
            packets.run();
        } finally {
            synchronized (writeLock) {
                if (--batchDepth == 0) {
                    List<ByteBuffer> held = batched;
                    batched = null;
                    if (!held.isEmpty()) {
                        written = send(combined(held));
                    }
                }
            }
        }
        if (written != null) {
            written.whenComplete((ignored, error) -> {
                if (error != null) {
                    failed(error);
                }
            });
        }
    }

    private static ByteBuffer combined(List<ByteBuffer> held) {
        if (held.size() == 1) {
            return held.getFirst();
        }
        ByteBuffer bytes = ByteBuffer.allocate(held.stream().mapToInt(ByteBuffer::remaining).sum());
        held.forEach(bytes::put);
        return bytes.flip();
    }

    /** Under {@code writeLock}: the transport keeps the order of its writes. */
    private CompletableFuture<Void> send(ByteBuffer bytes) {
        CompletableFuture<Void> written = stream.write(bytes).toCompletableFuture();
        lastWrite.set(written);
        return written;
    }

    private static void completeAsInternal(StreamWriteFuture future, Throwable error) {
        try {
            ThreadUtils.runAsInternal(() -> {
                future.complete(error);
                return null;
            });
        } catch (Exception e) {
            future.complete(e);
        }
    }

    @Override
    public IoService getService() {
        return service;
    }

    @Override
    public void shutdownOutputStream() throws IOException {
        stream.shutdownOutput();
    }

    @Override
    public void suspendRead() {
        stream.pauseReading();
    }

    @Override
    public void resumeRead() {
        stream.resumeReading();
    }

    @Override
    protected CloseFuture doCloseGracefully() {
        DefaultCloseFuture flushed = new DefaultCloseFuture(toString(), futureLock);
        lastWrite.get().whenComplete((ignored, error) -> flushed.setClosed());
        return flushed;
    }

    @Override
    protected void doCloseImmediately() {
        stream.close();
        service.unregister(this);
        try {
            handler.sessionClosed(this);
        } catch (Throwable e) {
            log.debug("sessionClosed({}) failed: {}", this, e.toString());
        } finally {
            super.doCloseImmediately();
        }
    }

    @Override
    public String toString() {
        return "StreamIoSession[" + id + " " + stream.peer().transport() + " " + stream.peer().remoteLabel() + "]";
    }
}
