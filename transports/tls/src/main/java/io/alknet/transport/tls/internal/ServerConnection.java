package io.alknet.transport.tls.internal;

import io.alknet.api.stream.PeerInfo;
import io.alknet.api.transport.SecurityLevel;
import io.alknet.netty.AcceptQueue;
import io.alknet.netty.NettyTransportStream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The server side of one TLS connection, as pipeline handlers: a plain-text detector before the TLS
 * handler, then (after the handshake) either the stream goes straight to the stream interface, or — on a
 * stealth listener — the first bytes decide: {@code SSH-2.0-} goes to SSH, anything else to the nginx
 * decoy. Every refusal is logged once, without any payload.
 */
final class ServerConnection {

    private static final Logger LOG = LoggerFactory.getLogger("alknet.tls");
    private static final byte[] SSH_PREFIX = "SSH-2.0-".getBytes(StandardCharsets.US_ASCII);
    /** A TLS record starts with content type 22 (handshake). */
    private static final int TLS_HANDSHAKE = 22;

    private ServerConnection() {
    }

    static void install(Channel channel, TlsContexts.Server certificates, TlsSettings settings, AcceptQueue accepted) {
        SslHandler tls = certificates.current().context().newHandler(channel.alloc());
        tls.setHandshakeTimeoutMillis(settings.handshakeTimeout().toMillis());
        channel.pipeline()
                .addLast("plain-detector", new PlainDetector(settings.stealth()))
                .addLast("tls", tls)
                .addLast("after-handshake", new AfterHandshake(settings, accepted));
    }

    static String remote(Channel channel) {
        return channel.remoteAddress() instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress() : String.valueOf(channel.remoteAddress());
    }

    /** Looks at the first byte: TLS goes on; plain HTTP gets nginx's "plain HTTP to HTTPS port" page on a stealth port. */
    private static final class PlainDetector extends ChannelInboundHandlerAdapter {
        private final boolean stealth;

        PlainDetector(boolean stealth) {
            this.stealth = stealth;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.read();
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf data = (ByteBuf) msg;
            if (!data.isReadable() || data.getUnsignedByte(data.readerIndex()) == TLS_HANDSHAKE) {
                ctx.pipeline().remove(this);
                ctx.fireChannelRead(msg);
                return;
            }
            boolean http = looksLikeHttp(data);
            data.release();
            LOG.info("tls.rejected remote_addr={} reason={}", remote(ctx.channel()), http ? "plain_http" : "not_tls");
            if (stealth && http) {
                ctx.writeAndFlush(NginxDecoy.rawResponse("HTTP/1.1 400 Bad Request", NginxDecoy.PLAIN_HTTP, false))
                        .addListener(ChannelFutureListener.CLOSE);
            } else {
                ctx.close();
            }
        }

        private static boolean looksLikeHttp(ByteBuf data) {
            int n = Math.min(data.readableBytes(), 8);
            int letters = 0;
            while (letters < n && Character.isUpperCase((char) data.getUnsignedByte(data.readerIndex() + letters))) {
                letters++;
            }
            return letters >= 3 && letters < n && data.getUnsignedByte(data.readerIndex() + letters) == ' ';
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** After the handshake: hand the stream over, or sniff first (stealth). Logs failed handshakes. */
    private static final class AfterHandshake extends ChannelInboundHandlerAdapter {
        private final TlsSettings settings;
        private final AcceptQueue accepted;
        private CompositeByteBuf sniffed;
        private ScheduledFuture<?> sniffTimeout;
        private boolean decided;

        AfterHandshake(TlsSettings settings, AcceptQueue accepted) {
            this.settings = settings;
            this.accepted = accepted;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof SslHandshakeCompletionEvent done) {
                if (!done.isSuccess()) {
                    LOG.info("tls.handshake.failed remote_addr={} reason=\"{}\"", remote(ctx.channel()), reason(done.cause()));
                    ctx.close();
                    return;
                }
                if (!settings.stealth()) {
                    handOver(ctx, null);
                    return;
                }
                sniffed = ctx.alloc().compositeBuffer();
                sniffTimeout = ctx.executor().schedule(() -> {
                    if (!decided) {
                        decided = true;
                        release();
                        ctx.close(); // nginx closes an idle connection after client_header_timeout, silently
                    }
                }, settings.sniffTimeout().toMillis(), TimeUnit.MILLISECONDS);
                ctx.read();
                return;
            }
            if (event instanceof ChannelInputShutdownEvent && !decided && sniffed != null) {
                decided = true;
                release();
                ctx.close();
                return;
            }
            ctx.fireUserEventTriggered(event);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (decided || sniffed == null) {
                ctx.fireChannelRead(msg);
                return;
            }
            sniffed.addComponent(true, (ByteBuf) msg);
            int n = Math.min(sniffed.readableBytes(), SSH_PREFIX.length);
            for (int i = 0; i < n; i++) {
                if (sniffed.getByte(sniffed.readerIndex() + i) != SSH_PREFIX[i]) {
                    decoy(ctx);
                    return;
                }
            }
            if (n == SSH_PREFIX.length) {
                handOver(ctx, sniffed);
            } else {
                ctx.read();
            }
        }

        private void handOver(ChannelHandlerContext ctx, ByteBuf replay) {
            decided = true;
            cancelTimeout();
            Channel channel = ctx.channel();
            NettyTransportStream stream = NettyTransportStream.attach(channel, peer(channel));
            ctx.pipeline().remove(this);
            if (replay != null) {
                sniffed = null;
                // the stream adapter keeps these until the interface starts reading
                channel.pipeline().context("tls").fireChannelRead(replay);
            }
            accepted.offer(stream);
        }

        private void decoy(ChannelHandlerContext ctx) {
            decided = true;
            cancelTimeout();
            LOG.info("tls.decoy remote_addr={}", remote(ctx.channel()));
            ByteBuf replay = sniffed;
            sniffed = null;
            ctx.pipeline().addAfter(ctx.name(), "http", new HttpServerCodec())
                    .addAfter("http", "http-aggregator", new HttpObjectAggregator(64 * 1024))
                    .addAfter("http-aggregator", "decoy", new NginxDecoy(settings.decoyDirectory(), settings.callBackend(),
                            ctx.channel().getClass().asSubclass(io.netty.channel.socket.SocketChannel.class)));
            ctx.pipeline().remove(this);
            ctx.channel().config().setAutoRead(true);
            ctx.channel().pipeline().context("tls").fireChannelRead(replay);
        }

        private void cancelTimeout() {
            if (sniffTimeout != null) {
                sniffTimeout.cancel(false);
            }
        }

        private void release() {
            if (sniffed != null) {
                sniffed.release();
                sniffed = null;
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            cancelTimeout();
            release();
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (!decided) {
                LOG.info("tls.handshake.failed remote_addr={} reason=\"{}\"", remote(ctx.channel()), reason(cause));
                release();
                ctx.close();
                return;
            }
            ctx.fireExceptionCaught(cause);
        }

        private static PeerInfo peer(Channel channel) {
            SslHandler tls = channel.pipeline().get(SslHandler.class);
            Optional<String> serverName = Optional.empty();
            if (tls != null && tls.engine().getSession() instanceof ExtendedSSLSession session) {
                for (SNIServerName name : session.getRequestedServerNames()) {
                    if (name instanceof SNIHostName host) {
                        serverName = Optional.of(host.getAsciiName());
                    }
                }
            }
            return new PeerInfo("tls", SecurityLevel.TLS, Optional.ofNullable(channel.remoteAddress()),
                    Optional.ofNullable(channel.localAddress()), Optional.empty(), serverName);
        }
    }

    static String reason(Throwable cause) {
        String message = TlsContexts.rootMessage(cause);
        return message.replace('"', '\'').replaceAll("[\\r\\n]", " ");
    }
}
