package io.alknet.netty;

import io.alknet.api.stream.PeerInfo;
import io.alknet.api.stream.StreamHandler;
import io.alknet.api.stream.TransportStream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
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
    // Touched only on the event loop.
    private StreamHandler handler;
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
            if (early != null) {
                Queue<Object> pending = early;
                early = null;
                for (Object event : pending) {
                    dispatch(event);
                }
            }
            if (!channel.isActive() && !closed.isDone() && channel.closeFuture().isDone()) {
                eventLoopClosed();
            }
            if (!paused.get()) {
                channel.config().setAutoRead(true);
                channel.read();
            }
        });
    }

    @Override
    public CompletionStage<Void> write(ByteBuffer data) {
        if (!channel.isActive()) {
            return CompletableFuture.failedFuture(new ClosedChannelException());
        }
        return NettyFutures.toCompletable(channel.writeAndFlush(Unpooled.wrappedBuffer(data)));
    }

    /** Writes a Netty buffer without copying; the stream takes ownership of {@code data}. */
    public CompletionStage<Void> write(ByteBuf data) {
        if (!channel.isActive()) {
            data.release();
            return CompletableFuture.failedFuture(new ClosedChannelException());
        }
        return NettyFutures.toCompletable(channel.writeAndFlush(data));
    }

    @Override
    public void pauseReading() {
        if (paused.compareAndSet(false, true)) {
            channel.config().setAutoRead(false);
        }
    }

    @Override
    public void resumeReading() {
        if (paused.compareAndSet(true, false) && started.get()) {
            channel.config().setAutoRead(true);
        }
    }

    @Override
    public CompletionStage<Void> shutdownOutput() {
        if (channel instanceof DuplexChannel duplex) {
            if (!channel.isActive()) {
                return CompletableFuture.completedFuture(null);
            }
            // Queue behind pending writes: flush first, then shut the output down.
            CompletableFuture<Void> result = new CompletableFuture<>();
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f ->
                    NettyFutures.toCompletable(duplex.shutdownOutput()).whenComplete((ignored, error) -> {
                        if (error != null && channel.isActive()) {
                            result.completeExceptionally(error);
                        } else {
                            result.complete(null);
                        }
                    }));
            return result;
        }
        // No half-close on this channel type: the best we can do is a graceful close.
        close();
        return closed;
    }

    @Override
    public void close() {
        if (channel.isOpen()) {
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
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

    private record Closed(Throwable error) {
    }

    private final class Adapter extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof ByteBuf buf)) {
                ctx.fireChannelRead(msg);
                return;
            }
            if (handler == null) {
                enqueue(buf);
                return;
            }
            deliver(buf);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof ChannelInputShutdownEvent) {
                if (handler == null) {
                    enqueue(new InputClosed());
                } else {
                    handler.onInputClosed();
                }
                return;
            }
            ctx.fireUserEventTriggered(event);
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
