package io.alknet.netty;

import io.alknet.api.stream.PeerInfo;
import io.alknet.api.stream.StreamHandler;
import io.alknet.api.stream.TransportStream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.socket.SocketChannelConfig;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.handler.ssl.SslHandler;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A {@link TransportStream} over a Netty channel. The channel should be created with
 * {@code AUTO_READ=false} and {@code ALLOW_HALF_CLOSURE=true}; {@link #attach} adds the adapter as the
 * last pipeline handler, so anything before it (TLS, a SOCKS decoder that already ran) stays in place.
 *
 * <p>Inbound events that arrive before {@link #start}, or while reading is paused, are kept and delivered
 * in order on start or resume; the end of the stream is told after them.
 *
 * <p>Ending: Netty's own {@code shutdownOutput()} and {@code close()} drop the writes still waiting in the
 * channel's outbound buffer, and a reader slower than the writer leaves some there. So a half-close or a
 * close waits here until the last write before it is on the socket, and only then ends the output; if the
 * peer reads nothing at all for {@link #SEND_TIMEOUT} meanwhile, the stream is aborted instead (as nginx's
 * {@code send_timeout}). A failed write ends the stream with that error, and {@link #abort()} resets the
 * connection (TCP RST, no TLS close_notify), so the peer never mistakes either for a clean end of data.
 */
public final class NettyTransportStream implements TransportStream {

    private static final String HANDLER_NAME = "alknet-stream";
    /**
     * How long a pending half-close or close waits on a peer that reads nothing at all before the stream is
     * aborted, in milliseconds; system property {@code alknet.send-timeout}.
     */
    static final long SEND_TIMEOUT = Long.getLong("alknet.send-timeout", TimeUnit.SECONDS.toMillis(60));

    private final Channel channel;
    private final PeerInfo peer;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean paused = new AtomicBoolean();
    private final Queue<Outbound> outbound = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drainTask = () -> {
        drainScheduled.set(false);
        drain();
    };
    // Guarded by this: set by the first shutdownOutput() / close(); writes after them fail at once.
    private boolean endRequested;
    private boolean closeRequested;
    private CompletableFuture<Void> shutdownFuture;

    // Event-loop confined from here on.
    private StreamHandler handler;
    /** The peer ended its direction (FIN or TLS close_notify) / we ended ours (after the last write). */
    private boolean inputDone;
    private boolean inputClosedPending; // the end of input is yet to be told to the handler
    private boolean outputDone;
    /** Inbound events held until start or resume, in order; null when none are held. */
    private Queue<Object> held;
    private boolean closedHeld;
    private boolean closedTold;
    private Throwable failure;
    /** The last outbound operation (a write, or the end of output), or null. */
    private ChannelFuture lastOutbound;
    /** A half-close or close was taken from the queue: writes that follow it fail. */
    private boolean outputEnding;
    private boolean aborted;

    private NettyTransportStream(Channel channel, PeerInfo peer) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.peer = Objects.requireNonNull(peer, "peer");
    }

    /**
     * Wraps {@code channel}. Must be called on the channel's event loop, or before it is registered.
     */
    public static NettyTransportStream attach(Channel channel, PeerInfo peer) {
        NettyTransportStream stream = new NettyTransportStream(channel, peer);
        channel.pipeline().addLast(HANDLER_NAME, stream.new Adapter());
        // Netty completes the close future before it fails the writes still queued and before channelInactive
        // (where an SslHandler fails its own): the handler is told the end after them, knowing their error.
        channel.closeFuture().addListener(f -> channel.eventLoop().execute(stream::channelClosed));
        return stream;
    }

    /** The underlying channel, for pipeline tweaks by the owning plugin. */
    public Channel channel() {
        return channel;
    }

    @Override
    public PeerInfo peer() {
        return peer;
    }

    @Override
    public void start(StreamHandler streamHandler) {
        Objects.requireNonNull(streamHandler, "streamHandler");
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("stream already started");
        }
        channel.eventLoop().execute(() -> {
            handler = streamHandler;
            applyReadState();
            if (channel.closeFuture().isDone()) {
                channelClosed();
            }
        });
    }

    @Override
    public CompletionStage<Void> write(ByteBuffer data) {
        return write(Unpooled.wrappedBuffer(data));
    }

    /** Copies straight into a pooled (direct) buffer: one copy instead of heap copy plus direct copy. */
    @Override
    public CompletionStage<Void> writeCopy(ByteBuffer data) {
        if (!writable()) {
            return CompletableFuture.failedFuture(new ClosedChannelException());
        }
        ByteBuf copy = channel.alloc().directBuffer(data.remaining());
        copy.writeBytes(data);
        return write(copy);
    }

    /** Writes a Netty buffer without copying; the stream takes ownership of {@code data}. */
    public CompletionStage<Void> write(ByteBuf data) {
        if (!writable()) {
            data.release();
            return CompletableFuture.failedFuture(new ClosedChannelException());
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        enqueue(new Outbound(data, done, Outbound.Kind.DATA));
        return done;
    }

    private synchronized boolean writable() {
        return !endRequested && channel.isActive();
    }

    /**
     * Every outbound operation goes through one queue drained on the event loop, so writes keep their
     * call order whichever threads make them (Netty writes directly when called on the event loop but
     * queues a task otherwise, which would reorder a mix of both), and each drain flushes once.
     */
    private void enqueue(Outbound operation) {
        outbound.add(operation);
        if (channel.eventLoop().inEventLoop() && operation.kind() == Outbound.Kind.DATA) {
            drain();
        } else if (drainScheduled.compareAndSet(false, true)) {
            // A shutdown or close, like any call from another thread, runs after this round's I/O events:
            // the end of one connection waits for the start of the next that arrived with it.
            channel.eventLoop().execute(drainTask);
        }
    }

    private void drain() {
        boolean wrote = false;
        Outbound next;
        while ((next = outbound.poll()) != null) {
            Outbound operation = next;
            switch (operation.kind()) {
                case DATA -> {
                    if (outputEnding || !channel.isActive()) {
                        operation.data().release();
                        operation.done().completeExceptionally(new ClosedChannelException());
                        continue;
                    }
                    wrote = true;
                    ChannelFuture written = channel.write(operation.data());
                    lastOutbound = written;
                    written.addListener(f -> written(operation.done(), f));
                }
                case SHUTDOWN, CLOSE -> {
                    if (wrote) {
                        channel.flush();
                        wrote = false;
                    }
                    outputEnding = true;
                    ChannelPromise ended = channel.newPromise();
                    ended.addListener(f -> operation.done().complete(null));
                    ChannelFuture before = lastOutbound;
                    lastOutbound = ended;
                    Runnable end = operation.kind() == Outbound.Kind.SHUTDOWN ? () -> shutdownNow(ended) : () -> closeNow(ended);
                    if (before == null || before.isDone()) {
                        end.run();
                    } else {
                        before.addListener(f -> end.run());
                        watchProgress(before, pendingBytes());
                    }
                }
            }
        }
        if (wrote) {
            channel.flush();
        }
    }

    /** While an end waits for {@code pending}: aborts the stream once the peer took no byte for a whole period. */
    private void watchProgress(ChannelFuture pending, long pendingBytesBefore) {
        channel.eventLoop().schedule(() -> {
            if (pending.isDone() || !channel.isOpen()) {
                return;
            }
            long pendingBytes = pendingBytes();
            if (pendingBytes == pendingBytesBefore) {
                abortWith(new IOException("the peer read nothing for " + SEND_TIMEOUT + " ms while the stream was ending"));
                return;
            }
            watchProgress(pending, pendingBytes);
        }, SEND_TIMEOUT, TimeUnit.MILLISECONDS);
    }

    private long pendingBytes() {
        var buffer = channel.unsafe().outboundBuffer();
        return buffer == null ? 0 : buffer.totalPendingWriteBytes();
    }

    /** Every write before it is on the socket: ends our direction. */
    private void shutdownNow(ChannelPromise ended) {
        if (!channel.isActive()) {
            ended.trySuccess();
            return;
        }
        outputDone = true;
        SslHandler tls = channel.pipeline().get(SslHandler.class);
        if (tls != null) {
            // TLS 1.3 half-close: close_notify ends our direction; the peer may still answer
            if (inputDone) {
                channel.close().addListener(f -> ended.trySuccess());
            } else {
                tls.closeOutbound().addListener(f -> ended.trySuccess());
            }
        } else if (channel instanceof DuplexChannel duplex && duplex.isInputShutdown()) {
            // Both directions are done: a plain close sends the same FIN, one syscall and no exception
            // (Netty builds one with a stack trace for every output shutdown).
            channel.close().addListener(f -> ended.trySuccess());
        } else if (channel instanceof QuietNioSocketChannel quiet && quiet.shutdownOutputIfIdle()) {
            ended.trySuccess();
        } else if (channel instanceof DuplexChannel duplex) {
            duplex.shutdownOutput().addListener(f -> ended.trySuccess());
        } else {
            channel.close().addListener(f -> ended.trySuccess());
        }
    }

    /** Every write before it is on the socket: closes. */
    private void closeNow(ChannelPromise ended) {
        outputDone = true;
        channel.close().addListener(f -> ended.trySuccess());
    }

    /** A write completed; a failed one fails the stream (its handler is told the error, never a clean end). */
    private void written(CompletableFuture<Void> done, io.netty.util.concurrent.Future<?> result) {
        if (result.isSuccess()) {
            done.complete(null);
            return;
        }
        Throwable cause = result.cause() == null ? new ClosedChannelException() : result.cause();
        if (failure == null) {
            failure = cause instanceof IOException ? cause : new IOException(cause.getMessage(), cause);
        }
        done.completeExceptionally(cause);
        abortWith(failure);
    }

    @Override
    public void pauseReading() {
        if (paused.compareAndSet(false, true)) {
            onEventLoop(this::applyReadState);
        }
    }

    @Override
    public void resumeReading() {
        if (paused.compareAndSet(true, false)) {
            onEventLoop(this::applyReadState);
        }
    }

    /**
     * Delivers what was held before {@link #start} or while paused (a TLS handler may read a record on its own
     * during the handshake, or after reading was paused). Until this ran, newer events queue behind, keeping
     * order; a handler that pauses again stops the delivery.
     */
    private void deliverHeld() {
        while (held != null && !paused.get()) {
            Object event = held.poll();
            if (event == null) {
                held = null;
                return;
            }
            switch (event) {
                case ByteBuf buf -> deliver(buf);
                case InputClosed ignored -> {
                    handler.onInputClosed();
                    if (outputDone && channel.isOpen()) {
                        channel.close(); // both directions ended: the stream is done
                    }
                }
                case Closed ignored -> tellClosed();
                default -> throw new IllegalStateException("unexpected event " + event);
            }
        }
    }

    /** Auto-read follows {@code paused} (once started); changed on the event loop only, never concurrently. */
    private void applyReadState() {
        if (handler == null) {
            return;
        }
        deliverHeld();
        boolean wanted = !paused.get();
        if (channel.isActive() && channel.config().isAutoRead() != wanted) {
            channel.config().setAutoRead(wanted);
        }
    }

    private void onEventLoop(Runnable task) {
        if (channel.eventLoop().inEventLoop()) {
            task.run();
        } else {
            channel.eventLoop().execute(task);
        }
    }

    @Override
    public CompletionStage<Void> shutdownOutput() {
        CompletableFuture<Void> done;
        synchronized (this) {
            if (shutdownFuture != null) {
                return shutdownFuture;
            }
            if (closeRequested || !channel.isActive()) {
                return CompletableFuture.completedFuture(null);
            }
            done = new CompletableFuture<>();
            shutdownFuture = done;
            endRequested = true;
        }
        enqueue(new Outbound(null, done, channel instanceof DuplexChannel ? Outbound.Kind.SHUTDOWN : Outbound.Kind.CLOSE));
        return done;
    }

    /** Graceful: sends every queued write, then closes (see the class comment for a peer that stops reading). */
    @Override
    public void close() {
        synchronized (this) {
            if (closeRequested || !channel.isOpen()) {
                return;
            }
            closeRequested = true;
            endRequested = true;
        }
        enqueue(new Outbound(null, new CompletableFuture<>(), Outbound.Kind.CLOSE));
    }

    /**
     * Resets the connection: queued writes are dropped, a TCP peer gets an RST (SO_LINGER 0) and a TLS peer no
     * close_notify, so neither can take it for a clean end; inbound events still held are dropped, and this
     * stream's handler is told the abort as an error.
     */
    @Override
    public void abort() {
        synchronized (this) {
            endRequested = true;
        }
        onEventLoop(() -> abortWith(new IOException("the stream was aborted")));
    }

    private void abortWith(Throwable cause) {
        if (aborted) {
            return;
        }
        aborted = true;
        if (failure == null) {
            failure = cause;
        }
        synchronized (this) {
            endRequested = true;
        }
        if (held != null) {
            for (Object event : held) {
                if (event instanceof ByteBuf buf) {
                    buf.release();
                }
            }
            held = null;
            closedHeld = false; // a close that waited behind the dropped events is told now, below or when the channel closes
        }
        if (channel.isOpen()) {
            if (channel.isActive() && channel.config() instanceof SocketChannelConfig socket) {
                socket.setSoLinger(0);
            }
            // from the head of the pipeline: past an SslHandler, which would send close_notify first
            channel.pipeline().firstContext().close();
        } else {
            channelClosed();
        }
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public CompletionStage<Void> closeFuture() {
        return closed;
    }

    @Override
    public String toString() {
        return "NettyTransportStream[" + peer.transport() + " " + peer.remoteLabel() + "]";
    }

    /** The channel closed: the future completes now; the handler is told after the events still held. */
    private void channelClosed() {
        if (!channel.eventLoop().inEventLoop()) {
            channel.eventLoop().execute(this::channelClosed);
            return;
        }
        closed.complete(null);
        if (closedTold || closedHeld) {
            return;
        }
        if (handler == null || (held != null && !held.isEmpty())) {
            closedHeld = true;
            hold(Closed.INSTANCE); // told on start, or on resume after what arrived before it
            return;
        }
        tellClosed();
    }

    private void tellClosed() {
        if (closedTold) {
            return;
        }
        closedTold = true;
        if (inputClosedPending) {
            inputClosedPending = false; // a close queued before the end of input ran first: input ended before
            handler.onInputClosed();
        }
        handler.onClosed(failure);
    }

    private void hold(Object event) {
        if (held == null) {
            held = new ArrayDeque<>();
        }
        held.add(event);
    }

    private void deliver(ByteBuf buf) {
        try {
            if (buf.nioBufferCount() == 1) {
                handler.onData(buf.nioBuffer());
            } else {
                for (ByteBuffer part : buf.nioBuffers()) {
                    handler.onData(part);
                }
            }
        } finally {
            buf.release();
        }
    }

    private enum InputClosed { INSTANCE }

    private enum Closed { INSTANCE }

    private record Outbound(ByteBuf data, CompletableFuture<Void> done, Kind kind) {
        enum Kind { DATA, SHUTDOWN, CLOSE }
    }

    private final class Adapter extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof ByteBuf buf)) {
                ctx.fireChannelRead(msg);
                return;
            }
            if (aborted) {
                buf.release();
                return;
            }
            if (handler == null || held != null || paused.get()) {
                // held until start/resume: a TLS handler may still read one record after reading was paused
                hold(buf);
                return;
            }
            deliver(buf);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            boolean tlsClosed = event instanceof SslCloseCompletionEvent close && close.isSuccess();
            if (event instanceof ChannelInputShutdownEvent || tlsClosed) {
                if (!inputDone && !aborted) {
                    inputDone = true;
                    if (handler == null || held != null) {
                        hold(InputClosed.INSTANCE);
                        if (outputDone) {
                            channel.close(); // both directions ended; what is held is told before the close
                        }
                    } else {
                        // After the other sockets' events of this round: ending a stream (EOF, CLOSE and
                        // FIN to pass on) can wait for the new connection that arrived with it.
                        inputClosedPending = true;
                        ctx.executor().execute(this::inputClosed);
                    }
                }
                if (!tlsClosed) {
                    return;
                }
            }
            ctx.fireUserEventTriggered(event);
        }

        private void inputClosed() {
            if (!inputClosedPending) {
                return; // told already, by a close that came first
            }
            inputClosedPending = false;
            handler.onInputClosed();
            if (outputDone && channel.isOpen()) {
                channel.close(); // both directions ended: the stream is done
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (failure == null) {
                failure = cause instanceof IOException ? cause : new IOException(cause.getMessage(), cause);
            }
            abortWith(failure);
        }
    }
}
