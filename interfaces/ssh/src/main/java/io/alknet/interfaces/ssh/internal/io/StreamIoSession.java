package io.alknet.interfaces.ssh.internal.io;

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
    // guarded by writeLock: packets held while a batch runs or hands its packets over (null otherwise), how
    // deeply batches nest, the thread that began the batch, and whether a hand-over is under way
    private List<Held> held;
    private int batchDepth;
    private Thread batchOwner;
    private boolean handingOver;

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
        CompletableFuture<Void> written = null;
        boolean early = false;
        synchronized (writeLock) {
            // Every packet passes this lock in MINA's encoding order (MINA holds its encode lock around this
            // call); while packets are held, later ones join them, so none overtakes another.
            if (held != null) {
                early = batchDepth > 0 && Thread.currentThread() == batchOwner;
                // a copy: MINA may reuse its buffer once the write counts as done
                held.add(new Held(ByteBuffer.allocate(bytes.remaining()).put(bytes).flip(), early ? null : future));
            } else {
                written = send(bytes);
            }
        }
        if (early) {
            // The batch's own packet, queued in order: written as far as MINA's ordering is concerned (it
            // sends a channel's CLOSE only once its EOF is written). Should the batch's write fail, the
            // session closes.
            completeAsInternal(future, null);
        } else if (written != null) {
            whenWritten(written, List.of(future));
        }
        return future;
    }

    /**
     * Runs {@code packets}, which writes packets, and sends what they wrote in one transport write: a
     * channel's EOF and CLOSE, say, one system call and one wake-up of the peer instead of two. The packets
     * this thread writes meanwhile count as written once queued, so MINA can follow up on them within the
     * batch; other threads' packets join the batch and count as written when it is. Batches nest.
     *
     * @return what {@code packets} returned
     */
    public <T> T batch(PacketWriter<T> packets) throws IOException {
        synchronized (writeLock) {
            if (batchDepth++ == 0) {
                if (held == null) {
                    held = new ArrayList<>(4);
                } // else a hand-over is under way: this batch's packets join it
                batchOwner = Thread.currentThread();
            }
        }
        try {
            return packets.write();
        } finally {
            List<Held> toSend = null;
            synchronized (writeLock) {
                if (--batchDepth == 0) {
                    batchOwner = null;
                    if (!handingOver) {
                        handingOver = true;
                        toSend = held;
                        held = new ArrayList<>(4);
                    } // else the hand-over under way sends them
                }
            }
            if (toSend != null) {
                handOver(toSend);
            }
        }
    }

    /**
     * Sends held packets, then those that joined meanwhile, until none is left. Not under {@code writeLock}:
     * a write may complete other packets' futures at once, and their MINA listeners take MINA's encode lock,
     * which a writer waiting for {@code writeLock} may hold.
     */
    private void handOver(List<Held> first) {
        List<Held> next = first;
        while (true) {
            if (!next.isEmpty()) {
                List<StreamWriteFuture> futures = new ArrayList<>(next.size());
                for (Held packet : next) {
                    if (packet.future() != null) {
                        futures.add(packet.future());
                    }
                }
                CompletableFuture<Void> written = send(combined(next));
                whenWritten(written, futures);
                // some of these packets counted as written already: should the write fail, the session ends
                written.whenComplete((ignored, error) -> {
                    if (error != null) {
                        failed(error);
                    }
                });
            }
            synchronized (writeLock) {
                if (batchDepth > 0) {
                    handingOver = false; // a batch began meanwhile: its end sends what is held
                    return;
                }
                if (held.isEmpty()) {
                    held = null;
                    handingOver = false;
                    return;
                }
                next = held;
                held = new ArrayList<>(4);
            }
        }
    }

    private static ByteBuffer combined(List<Held> packets) {
        if (packets.size() == 1) {
            return packets.getFirst().bytes();
        }
        ByteBuffer bytes = ByteBuffer.allocate(packets.stream().mapToInt(packet -> packet.bytes().remaining()).sum());
        packets.forEach(packet -> bytes.put(packet.bytes()));
        return bytes.flip();
    }

    /** Only one thread sends at a time: under {@code writeLock}, or the hand-over while packets are held. */
    private CompletableFuture<Void> send(ByteBuffer bytes) {
        CompletableFuture<Void> written = stream.write(bytes).toCompletableFuture();
        lastWrite.set(written);
        return written;
    }

    /** Completes the packets' futures with the write. */
    private static void whenWritten(CompletableFuture<Void> written, List<StreamWriteFuture> futures) {
        // As an "internal" thread, MINA listeners queue packets during a key exchange instead of blocking
        // this (I/O) thread.
        written.whenComplete((ignored, error) -> futures.forEach(future -> completeAsInternal(future, error)));
    }

    /** Writes packets within a {@link #batch}. */
    @FunctionalInterface
    public interface PacketWriter<T> {
        T write() throws IOException;
    }

    /** A packet held back; {@code future} is null when it already counts as written. */
    private record Held(ByteBuffer bytes, StreamWriteFuture future) {
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
