package io.alknet.netty;

import io.alknet.api.stream.PeerInfo;
import io.alknet.api.stream.StreamHandler;
import io.alknet.api.stream.TransportStream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.handler.ssl.SslHandler;
import io.netty.channel.socket.DuplexChannel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A {@link TransportStream} over a Netty channel. The channel should be created with
 * {@code AUTO_READ=false} and {@code ALLOW_HALF_CLOSURE=true}; {@link #attach} adds the adapter as the
 * last pipeline handler, so anything before it (TLS, a SOCKS decoder that already ran) stays in place.
 *
 * <p>Inbound events that arrive before {@link #start} are kept and delivered on start.
 */
public final class NettyTransportStream implements TransportStream {

    private static final String HANDLER_NAME = "alknet-stream";

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
    // Touched only on the event loop.
    private StreamHandler handler;
    /** Event-loop confined: the peer ended its direction (FIN or TLS close_notify) / we ended ours. */
    private boolean inputDone;
    private boolean inputClosedPending; // event loop only: the end of input is yet to be told to the handler
    private boolean outputDone;
    private Queue<Object> early;
    private Throwable failure;

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
        channel.closeFuture().addListener(f -> stream.eventLoopClosed());
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
            if (!paused.get()) {
                drainEarly();
            }
            if (!channel.isActive() && !closed.isDone() && channel.closeFuture().isDone()) {
                eventLoopClosed();
            }
            applyReadState();
        });
    }

    @Override
    public CompletionStage<Void> write(ByteBuffer data) {
        return write(Unpooled.wrappedBuffer(data));
    }

    /** Copies straight into a pooled (direct) buffer: one copy instead of heap copy plus direct copy. */
    @Override
    public CompletionStage<Void> writeCopy(ByteBuffer data) {
        if (!channel.isActive()) {
            return CompletableFuture.failedFuture(new ClosedChannelException());
        }
        ByteBuf copy = channel.alloc().directBuffer(data.remaining());
        copy.writeBytes(data);
        return write(copy);
    }

    /** Writes a Netty buffer without copying; the stream takes ownership of {@code data}. */
    public CompletionStage<Void> write(ByteBuf data) {
        if (!channel.isActive()) {
            data.release();
            return CompletableFuture.failedFuture(new ClosedChannelException());
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        enqueue(new Outbound(data, done, Outbound.Kind.DATA));
        return done;
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
                    wrote = true;
                    channel.write(operation.data()).addListener(f -> complete(operation.done(), f));
                }
                case SHUTDOWN -> {
                    channel.flush();
                    wrote = false;
                    outputDone = true;
                    SslHandler tls = channel.pipeline().get(SslHandler.class);
                    if (tls != null && channel.isActive()) {
                        // TLS 1.3 half-close: close_notify ends our direction; the peer may still answer
                        if (inputDone) {
                            channel.close().addListener(f -> operation.done().complete(null));
                        } else {
                            tls.closeOutbound().addListener(f -> operation.done().complete(null));
                        }
                        continue;
                    }
                    if (channel instanceof DuplexChannel duplex && channel.isActive() && duplex.isInputShutdown()
                            && nothingPending()) {
                        // Both directions are done: a plain close sends the same FIN, one syscall and no
                        // exception (Netty builds one with a stack trace for every output shutdown).
                        channel.close().addListener(f -> operation.done().complete(null));
                    } else if (channel instanceof QuietNioSocketChannel quiet && quiet.shutdownOutputIfIdle()) {
                        operation.done().complete(null);
                    } else if (channel instanceof DuplexChannel duplex && channel.isActive()) {
                        duplex.shutdownOutput().addListener(f -> operation.done().complete(null));
                    } else {
                        operation.done().complete(null);
                    }
                }
                case CLOSE -> {
                    channel.flush();
                    wrote = false;
                    channel.close().addListener(f -> operation.done().complete(null));
                }
            }
        }
        if (wrote) {
            channel.flush();
        }
    }

    private boolean nothingPending() {
        var buffer = channel.unsafe().outboundBuffer();
        return buffer != null && buffer.isEmpty();
    }

    private static void complete(CompletableFuture<Void> done, io.netty.util.concurrent.Future<?> result) {
        if (result.isSuccess()) {
            done.complete(null);
        } else {
            done.completeExceptionally(result.cause() == null ? new ClosedChannelException() : result.cause());
        }
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
     * Delivers what arrived before {@link #start} (or while paused before it): a TLS handler may read a
     * record on its own during the handshake. Until this ran, newer data queues behind it, keeping order.
     */
    private void drainEarly() {
        while (early != null) {
            Object event = early.poll();
            if (event == null) {
                early = null;
                return;
            }
            dispatch(event);
        }
    }

    /** Auto-read follows {@code paused} (once started); changed on the event loop only, never concurrently. */
    private void applyReadState() {
        if (handler != null && !paused.get()) {
            drainEarly();
        }
        boolean wanted = handler != null && !paused.get();
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
        if (!channel.isActive()) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        enqueue(new Outbound(null, done, channel instanceof DuplexChannel ? Outbound.Kind.SHUTDOWN : Outbound.Kind.CLOSE));
        return done;
    }

    @Override
    public void close() {
        if (channel.isOpen()) {
            enqueue(new Outbound(null, new CompletableFuture<>(), Outbound.Kind.CLOSE));
        }
    }

    @Override
    public void abort() {
        channel.close();
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

    private void eventLoopClosed() {
        if (!channel.eventLoop().inEventLoop()) {
            channel.eventLoop().execute(this::eventLoopClosed);
            return;
        }
        if (closed.isDone()) {
            return;
        }
        if (handler == null) {
            if (!started.get()) {
                // Delivered on start; the future completes now so owners can clean up.
                enqueue(new Closed(failure));
                closed.complete(null);
            }
            return;
        }
        closed.complete(null);
        StreamHandler current = handler;
        if (inputClosedPending) {
            inputClosedPending = false; // a close queued before the end of input ran first: input ended before
            current.onInputClosed();
        }
        current.onClosed(failure);
    }

    private void enqueue(Object event) {
        if (early == null) {
            early = new ArrayDeque<>();
        }
        early.add(event);
    }

    private void dispatch(Object event) {
        switch (event) {
            case ByteBuf buf -> deliver(buf);
            case InputClosed ignored -> handler.onInputClosed();
            case Closed c -> handler.onClosed(c.error());
            default -> throw new IllegalStateException("unexpected event " + event);
        }
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

    private record InputClosed() {
    }

    private record Outbound(ByteBuf data, CompletableFuture<Void> done, Kind kind) {
        enum Kind { DATA, SHUTDOWN, CLOSE }
    }

    private record Closed(Throwable error) {
    }

    private final class Adapter extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof ByteBuf buf)) {
                ctx.fireChannelRead(msg);
                return;
            }
            if (handler == null || early != null || paused.get()) {
                // held until start/resume: a TLS handler may still read one record after reading was paused
                enqueue(buf);
                return;
            }
            deliver(buf);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            boolean tlsClosed = event instanceof SslCloseCompletionEvent close && close.isSuccess();
            if (event instanceof ChannelInputShutdownEvent || tlsClosed) {
                if (!inputDone) {
                    inputDone = true;
                    if (handler == null || early != null) {
                        enqueue(new InputClosed());
                        if (outputDone) {
                            channel.close(); // both directions ended: the stream is done
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
            if (outputDone) {
                channel.close(); // both directions ended: the stream is done
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (failure == null) {
                failure = cause instanceof IOException ? cause : new IOException(cause.getMessage(), cause);
            }
            ctx.close();
        }
    }
}
