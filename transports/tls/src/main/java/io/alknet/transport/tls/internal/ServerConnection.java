package io.alknet.transport.tls.internal;

import io.alknet.api.interfaces.HttpGateway;
import io.alknet.api.stream.PeerInfo;
import io.alknet.api.transport.SecurityLevel;
import io.alknet.netty.NettyTransportStream;
import io.alknet.stream.support.AcceptQueue;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLParameters;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The server side of one TLS connection, as pipeline handlers: a plain-text detector before the TLS handler, then
 * (after the handshake) either the stream goes straight to the stream interface, or — on a stealth listener — the
 * first bytes decide: {@code SSH-2.0-} goes to SSH, anything else to the nginx decoy. A stealth connection is timed
 * from accept by a {@link ConnectionTimer}, as nginx times the handshake and the first request together. Every
 * refusal is logged once, without any payload.
 */
final class ServerConnection {

    private static final Logger LOG = LoggerFactory.getLogger("alknet.tls");
    private static final byte[] SSH_PREFIX = "SSH-2.0-".getBytes(StandardCharsets.US_ASCII);
    /** A TLS record starts with content type 22 (handshake); nginx takes any first byte with the high bit (SSLv2) as TLS too. */
    private static final int TLS_HANDSHAKE = 22;
    /** The handler that stands where the TLS handler will be until the ClientHello is read (ACME TLS-ALPN-01). */
    private static final String ROUTER = "client-hello";

    private ServerConnection() {
    }

    /**
     * @param certificates the listener's certificate now (null only while the first ACME order is under way)
     * @param challenges   with ACME TLS-ALPN-01: the pending challenges, answered before the listener's own handshake
     * @param gateways     the server's HTTP interface (for authenticated {@code /v1/} requests on a stealth listener)
     */
    static void install(Channel channel, Supplier<TlsContexts.Server> certificates, Optional<TlsAlpnChallenges> challenges,
                        TlsSettings settings, AcceptQueue accepted, Supplier<Optional<HttpGateway>> gateways) {
        ConnectionTimer timer = null;
        if (settings.stealth()) {
            timer = new ConnectionTimer(channel, () -> closeQuietly(channel));
            timer.arm(settings.sniffTimeout());
        } else if (challenges.isPresent()) {
            // until the router has the whole ClientHello there is no TLS handler, and so no handshake timeout
            timer = new ConnectionTimer(channel, channel::close);
            timer.arm(settings.handshakeTimeout());
        }
        ChannelHandler tls = challenges.isPresent()
                ? new ClientHelloRouter(certificates, challenges.get(), settings, timer)
                : serverHandler(channel, certificates.get().current().context(), settings);
        channel.pipeline()
                .addLast("plain-detector", new PlainDetector(settings, timer, gateways))
                .addLast(challenges.isPresent() ? ROUTER : "tls", tls)
                .addLast("after-handshake", new AfterHandshake(settings, accepted, timer, gateways));
    }

    /** The listener's own TLS handler, with its certificate and ALPN choices. */
    static SslHandler serverHandler(Channel channel, SslContext context, TlsSettings settings) {
        SslHandler tls = context.newHandler(channel.alloc());
        if (settings.stealth()) {
            // nginx 1.22 gives the handshake no timer of its own: client_header_timeout runs from accept, and a client
            // that never finishes its handshake is closed without a word (no TLS alert)
            tls.setHandshakeTimeoutMillis(0);
            // nginx (ssl_prefer_server_ciphers off) takes the cipher the client prefers, the JDK by default its own
            SSLParameters parameters = tls.engine().getSSLParameters();
            parameters.setUseCipherSuitesOrder(false);
            tls.engine().setSSLParameters(parameters);
        } else {
            tls.setHandshakeTimeoutMillis(settings.handshakeTimeout().toMillis());
        }
        return tls;
    }

    static String remote(Channel channel) {
        return channel.remoteAddress() instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress() : String.valueOf(channel.remoteAddress());
    }

    /**
     * Closes below TLS: no close_notify, as nginx closes a connection that timed out in the middle of a request (and
     * one that never finished its handshake).
     */
    static void closeQuietly(Channel channel) {
        ChannelHandlerContext tls = channel.pipeline().context(SslHandler.class);
        if (tls != null) {
            tls.close(); // starts at the handler before the TLS handler: the socket
        } else {
            channel.close();
        }
    }

    /** What the server knows about the client of a TLS connection (also the peer of requests the decoy hands on). */
    static PeerInfo peer(Channel channel) {
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

    /** Puts the decoy where the stream would have gone and gives it what was read so far. */
    private static void decoy(ChannelHandlerContext ctx, ChannelInboundHandlerAdapter replaced, TlsSettings settings,
                              ConnectionTimer timer, Supplier<Optional<HttpGateway>> gateways, boolean tls, ByteBuf replay) {
        ChannelPipeline pipeline = ctx.pipeline();
        pipeline.addAfter(ctx.name(), "decoy", new NginxDecoy(settings, gateways, tls, timer));
        pipeline.remove(replaced);
        ctx.channel().config().setAutoRead(true);
        if (tls) {
            pipeline.context("tls").fireChannelRead(replay); // from the TLS handler on: into the decoy, as plain text
        } else {
            pipeline.fireChannelRead(replay); // the decoy is the first handler
        }
    }

    /**
     * Looks at the first byte: TLS goes on. Anything else is closed, except on a stealth listener, where it is taken as
     * plain HTTP, as nginx does: the decoy answers it with nginx's 400 pages.
     */
    private static final class PlainDetector extends ChannelInboundHandlerAdapter {
        private final TlsSettings settings;
        private final ConnectionTimer timer;
        private final Supplier<Optional<HttpGateway>> gateways;

        PlainDetector(TlsSettings settings, ConnectionTimer timer, Supplier<Optional<HttpGateway>> gateways) {
            this.settings = settings;
            this.timer = timer;
            this.gateways = gateways;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.read();
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf data = (ByteBuf) msg;
            int first = data.isReadable() ? data.getUnsignedByte(data.readerIndex()) : TLS_HANDSHAKE;
            if (first == TLS_HANDSHAKE || (first & 0x80) != 0) {
                ctx.pipeline().remove(this);
                ctx.fireChannelRead(msg);
                return;
            }
            LOG.info("tls.rejected remote_addr={} reason={}", remote(ctx.channel()), looksLikeHttp(data) ? "plain_http" : "not_tls");
            if (!settings.stealth()) {
                data.release();
                ctx.close();
                return;
            }
            ctx.pipeline().remove("after-handshake");
            ctx.pipeline().remove(ctx.pipeline().get("tls") != null ? "tls" : ROUTER);
            decoy(ctx, this, settings, timer, gateways, false, data);
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
        private final ConnectionTimer timer;
        private final Supplier<Optional<HttpGateway>> gateways;
        private ByteBuf sniffed;
        private boolean decided;

        AfterHandshake(TlsSettings settings, AcceptQueue accepted, ConnectionTimer timer, Supplier<Optional<HttpGateway>> gateways) {
            this.settings = settings;
            this.accepted = accepted;
            this.timer = timer;
            this.gateways = gateways;
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
                sniffed = ctx.alloc().buffer();
                // still the timer from accept (nginx does not restart it); a client that has said nothing by then is
                // closed as nginx closes an idle connection, one that has said a little like a timed-out request
                timer.onExpiry(() -> {
                    if (sniffed != null && sniffed.isReadable()) {
                        closeQuietly(ctx.channel());
                    } else {
                        ctx.close();
                    }
                });
                ctx.read();
                return;
            }
            if ((event instanceof ChannelInputShutdownEvent || event instanceof SslCloseCompletionEvent) && !decided) {
                closeQuietly(ctx.channel()); // gone before it said what it is; nginx sends no close_notify to a closed client
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
            ByteBuf data = (ByteBuf) msg;
            sniffed.writeBytes(data);
            data.release();
            int n = Math.min(sniffed.readableBytes(), SSH_PREFIX.length);
            for (int i = 0; i < n; i++) {
                if (sniffed.getByte(sniffed.readerIndex() + i) != SSH_PREFIX[i]) {
                    decided = true;
                    LOG.info("tls.decoy remote_addr={}", remote(ctx.channel()));
                    ByteBuf replay = sniffed;
                    sniffed = null;
                    decoy(ctx, this, settings, timer, gateways, true, replay);
                    return;
                }
            }
            if (n == SSH_PREFIX.length) {
                ByteBuf replay = sniffed;
                sniffed = null;
                handOver(ctx, replay);
            } else {
                ctx.read();
            }
        }

        private void handOver(ChannelHandlerContext ctx, ByteBuf replay) {
            decided = true;
            if (timer != null) {
                timer.cancel(); // the SSH session has timeouts of its own
            }
            Channel channel = ctx.channel();
            NettyTransportStream stream = NettyTransportStream.attach(channel, peer(channel));
            ctx.pipeline().remove(this);
            if (replay != null) {
                // the stream adapter keeps these until the interface starts reading
                channel.pipeline().context("tls").fireChannelRead(replay);
            }
            accepted.offer(stream);
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            release();
        }

        private void release() {
            if (sniffed != null) {
                sniffed.release();
                sniffed = null;
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            release();
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (!decided) {
                LOG.info("tls.handshake.failed remote_addr={} reason=\"{}\"", remote(ctx.channel()), reason(cause));
                ctx.close();
                return;
            }
            ctx.fireExceptionCaught(cause);
        }
    }

    static String reason(Throwable cause) {
        String message = TlsContexts.rootMessage(cause);
        return message.replace('"', '\'').replaceAll("[\\r\\n]", " ");
    }
}
