package io.alknet.netty;

import io.alknet.api.stream.PeerInfo;
import io.alknet.api.stream.StreamHandler;
import io.alknet.api.stream.TransportStream;
import io.alknet.stream.support.AbstractTransportStream;
import io.alknet.stream.support.StreamExecutor;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.socket.SocketChannelConfig;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.handler.ssl.SslHandler;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * A {@link TransportStream} over a Netty channel: the stream rules are {@link AbstractTransportStream}'s, with the
 * channel's event loop as the executor of both directions. The channel should be created with {@code AUTO_READ=false}
 * and {@code ALLOW_HALF_CLOSURE=true}; {@link #attach} adds the adapter as the last pipeline handler, so anything
 * before it (TLS, a SOCKS decoder that already ran) stays in place.
 *
 * <p>On the event loop, writes go straight to the channel (one flush per drain) and {@code writeCopy} copies into a
 * pooled direct buffer, one copy instead of heap copy plus direct copy; writes from other threads are drained by one
 * task per round. Pausing turns {@code AUTO_READ} off; what a TLS handler still decodes is held. Netty's own
 * {@code shutdownOutput()} and {@code close()} drop the writes still waiting in the channel's outbound buffer, which is
 * why the base sends an end only after the last write completed. {@link #abort()} resets the connection (TCP RST, no
 * TLS close_notify), so the peer never mistakes it for a clean end of data.
 */
public final class NettyTransportStream extends AbstractTransportStream<ByteBuf> {

    private static final String HANDLER_NAME = "alknet-stream";

    private final Channel channel;
    private final Adapter adapter;

    private NettyTransportStream(Channel channel, PeerInfo peer, Adapter adapter) {
        super(peer, adapter, adapter);
        this.channel = channel;
        this.adapter = adapter;
        adapter.stream = this;
    }

    /**
     * Wraps {@code channel}. Must be called on the channel's event loop, or before it is registered.
     */
    public static NettyTransportStream attach(Channel channel, PeerInfo peer) {
        Objects.requireNonNull(channel, "channel");
        Adapter adapter = new Adapter(channel);
        NettyTransportStream stream = new NettyTransportStream(channel, peer, adapter);
        channel.pipeline().addLast(HANDLER_NAME, adapter);
        // Netty completes the close future before it fails the writes still queued and before channelInactive
        // (where an SslHandler fails its own): the stream learns of the close after them, knowing their error.
        channel.closeFuture().addListener(f -> channel.eventLoop().execute(() -> stream.transportClosed(null)));
        return stream;
    }

    /** The underlying channel, for pipeline tweaks by the owning plugin. */
    public Channel channel() {
        return channel;
    }

    /** Writes a Netty buffer without copying; the stream takes ownership of {@code data}. */
    public CompletionStage<Void> write(ByteBuf data) {
        return writeMessage(data);
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public String toString() {
        return "NettyTransportStream[" + peer().transport() + " " + peer().remoteLabel() + "]";
    }

    // ---- the primitives ----

    @Override
    protected void doWrite(ByteBuf data) {
        // Netty completes a channel's write promises in write order: the adapter reports them as they come.
        channel.write(data).addListener(adapter);
    }

    @Override
    protected void doFlush() {
        channel.flush();
    }

    @Override
    protected void doShutdownOutput() {
        if (!channel.isActive()) {
            outputShutdown();
            return;
        }
        SslHandler tls = channel.pipeline().get(SslHandler.class);
        if (tls != null) {
            // TLS 1.3 half-close: close_notify ends our direction; the peer may still answer
            if (isInputEnded()) {
                channel.close().addListener(f -> outputShutdown());
            } else {
                tls.closeOutbound().addListener(f -> outputShutdown());
            }
        } else if (channel instanceof DuplexChannel duplex && duplex.isInputShutdown()) {
            // Both directions are done: a plain close sends the same FIN, one syscall and no exception
            // (Netty builds one with a stack trace for every output shutdown).
            channel.close().addListener(f -> outputShutdown());
        } else if (channel instanceof QuietNioSocketChannel quiet && quiet.shutdownOutputIfIdle()) {
            outputShutdown();
        } else if (channel instanceof DuplexChannel duplex) {
            duplex.shutdownOutput().addListener(f -> outputShutdown());
        } else {
            channel.close().addListener(f -> outputShutdown());
        }
    }

    @Override
    protected void doClose() {
        channel.close();
    }

    /** A TCP peer gets an RST (SO_LINGER 0) and a TLS peer no close_notify, so neither can take it for a clean end. */
    @Override
    protected void doAbort(Throwable cause) {
        if (channel.isOpen()) {
            if (channel.isActive() && channel.config() instanceof SocketChannelConfig socket) {
                socket.setSoLinger(0);
            }
            // from the head of the pipeline: past an SslHandler, which would send close_notify first
            channel.pipeline().firstContext().close();
        }
    }

    @Override
    protected void doPauseReading() {
        if (channel.isActive() && channel.config().isAutoRead()) {
            channel.config().setAutoRead(false);
        }
    }

    @Override
    protected void doResumeReading() {
        if (channel.isActive() && !channel.config().isAutoRead()) {
            channel.config().setAutoRead(true);
        }
    }

    @Override
    protected ByteBuf retain(ByteBuf data) {
        return data; // handed over by the pipeline: ours until released
    }

    @Override
    protected void release(ByteBuf data) {
        data.release();
    }

    @Override
    protected void deliver(StreamHandler handler, ByteBuf buf) {
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

    @Override
    protected ByteBuf wrap(ByteBuffer data) {
        return Unpooled.wrappedBuffer(data);
    }

    /** Copies straight into a pooled (direct) buffer: one copy instead of heap copy plus direct copy. */
    @Override
    protected ByteBuf copyOf(ByteBuffer data) {
        ByteBuf copy = channel.alloc().directBuffer(data.remaining());
        copy.writeBytes(data);
        return copy;
    }

    /** The bytes still in the channel's outbound buffer: they shrink while the peer reads. */
    @Override
    protected long outboundProgress() {
        var buffer = channel.unsafe().outboundBuffer();
        return buffer == null ? 0 : buffer.totalPendingWriteBytes();
    }

    @Override
    protected void schedule(Runnable task, long delayMillis) {
        channel.eventLoop().schedule(task, delayMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * The pipeline's last handler, the stream's executor (the channel's event loop) and the listener of its writes, in
     * one object per connection.
     */
    private static final class Adapter extends ChannelInboundHandlerAdapter implements StreamExecutor, ChannelFutureListener {
        private final Channel channel;
        private NettyTransportStream stream;

        Adapter(Channel channel) {
            this.channel = channel;
        }

        @Override
        public boolean inExecutor() {
            return channel.eventLoop().inEventLoop();
        }

        @Override
        public void execute(Runnable task) {
            channel.eventLoop().execute(task);
        }

        @Override
        public void operationComplete(ChannelFuture future) {
            if (future.isSuccess()) {
                stream.written(1);
            } else {
                stream.writeFailed(future.cause());
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf buf) {
                stream.dataArrived(buf);
            } else {
                ctx.fireChannelRead(msg);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            boolean tlsClosed = event instanceof SslCloseCompletionEvent close && close.isSuccess();
            if (event instanceof ChannelInputShutdownEvent || tlsClosed) {
                stream.inputEnded();
                if (!tlsClosed) {
                    return;
                }
            }
            ctx.fireUserEventTriggered(event);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            stream.transportFailed(cause);
        }
    }
}
