package io.alknet.transport.tls.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslClientHelloHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * On a listener whose certificate comes by ACME TLS-ALPN-01: reads the ClientHello before any TLS handler exists and
 * picks the handshake. A ClientHello that offers ALPN {@code acme-tls/1} alone, for a name with a pending challenge,
 * gets that challenge's validation certificate, and the connection ends with the handshake (RFC 8737 section 3); one
 * that offers {@code acme-tls/1} alone otherwise gets a fatal alert. Every other ClientHello goes to the listener's own
 * TLS handler as if this handler had never been there, so no other ALPN can reach a validation certificate.
 *
 * <p>Netty's {@link SslClientHelloHandler} gathers the ClientHello (also over several records) and replays it to the
 * handler chosen; it has no parser for ALPN, so the extensions are read here.
 *
 * <p>Threading: the channel's event loop only.
 */
final class ClientHelloRouter extends SslClientHelloHandler<ClientHelloRouter.Route> {

    private static final Logger LOG = LoggerFactory.getLogger("alknet.tls");
    private static final int EXTENSION_SERVER_NAME = 0;
    private static final int EXTENSION_ALPN = 16;
    /** TLS alert descriptions (RFC 8446 section 6). */
    private static final int HANDSHAKE_FAILURE = 40;
    private static final int NO_APPLICATION_PROTOCOL = 120;

    /** What a ClientHello gets. */
    sealed interface Route {
        /** The listener's own certificate and ALPN choices. */
        record Normal() implements Route {
        }

        /** A pending challenge's validation certificate. */
        record Validation(SslContext context) implements Route {
        }

        /** A fatal alert instead of a ServerHello. */
        record Refuse(int alert, String reason) implements Route {
        }
    }

    /** What the client asked for: its SNI host name (or null) and its ALPN protocols (empty without the extension). */
    record Offer(String serverName, List<String> protocols) {
    }

    private final Supplier<TlsContexts.Server> certificates;
    private final TlsAlpnChallenges challenges;
    private final TlsSettings settings;
    private final ConnectionTimer timer;

    /**
     * @param certificates the listener's certificate now; null while the first ACME order is under way
     * @param timer        the connection's timer, armed at accept; cancelled here on a plain listener, whose TLS handler
     *                     has a handshake timeout of its own
     */
    ClientHelloRouter(Supplier<TlsContexts.Server> certificates, TlsAlpnChallenges challenges, TlsSettings settings,
                      ConnectionTimer timer) {
        this.certificates = certificates;
        this.challenges = challenges;
        this.settings = settings;
        this.timer = timer;
    }

    @Override
    protected Future<Route> lookup(ChannelHandlerContext ctx, ByteBuf clientHello) {
        return ctx.executor().newSucceededFuture(route(clientHello == null ? null : offer(clientHello)));
    }

    Route route(Offer offer) {
        // RFC 8737 section 3: the CA offers acme-tls/1 and nothing else; a list with more goes the normal way
        if (offer != null && offer.protocols().equals(List.of(TlsAlpnChallenges.ACME_TLS_1))) {
            return challenges.validation(offer.serverName()).<Route>map(Route.Validation::new).orElseGet(() ->
                    new Route.Refuse(NO_APPLICATION_PROTOCOL, "acme-tls/1 without a pending ACME challenge for that name"));
        }
        if (certificates.get() == null) {
            return new Route.Refuse(HANDSHAKE_FAILURE, "no certificate yet: the first ACME order is under way");
        }
        return new Route.Normal();
    }

    @Override
    protected void onLookupComplete(ChannelHandlerContext ctx, Future<Route> future) {
        if (!settings.stealth()) {
            timer.cancel();
        }
        switch (future.getNow()) {
            case Route.Normal normal -> ctx.pipeline().replace(this, "tls",
                    ServerConnection.serverHandler(ctx.channel(), certificates.get().current().context(), settings));
            case Route.Validation validation -> {
                SslHandler tls = validation.context().newHandler(ctx.alloc());
                tls.setHandshakeTimeoutMillis(settings.handshakeTimeout().toMillis());
                ctx.pipeline().replace("after-handshake", "acme-validation", new ValidationDone());
                ctx.pipeline().replace(this, "tls", tls);
            }
            case Route.Refuse refuse -> {
                LOG.info("tls.handshake.failed remote_addr={} reason=\"{}\"", ServerConnection.remote(ctx.channel()), refuse.reason());
                // an alert record in the clear, as the TLS stack would send it before a ServerHello: level fatal (2)
                byte[] alert = {21, 3, 3, 0, 2, 2, (byte) refuse.alert()};
                ctx.writeAndFlush(Unpooled.wrappedBuffer(alert)).addListener(ChannelFutureListener.CLOSE);
            }
        }
    }

    /**
     * Reads the SNI host name and the ALPN list from a ClientHello body (RFC 8446 section 4.1.2, from its
     * {@code legacy_version}); null when it is malformed, which leaves the verdict to the TLS handler.
     */
    static Offer offer(ByteBuf hello) {
        try {
            int at = hello.readerIndex() + 2 + 32;                      // legacy_version, random
            at += 1 + hello.getUnsignedByte(at);                        // legacy_session_id
            at += 2 + hello.getUnsignedShort(at);                       // cipher_suites
            at += 1 + hello.getUnsignedByte(at);                        // legacy_compression_methods
            String serverName = null;
            List<String> protocols = List.of();
            if (at == hello.writerIndex()) {
                return new Offer(null, protocols);                      // no extensions at all
            }
            int end = at + 2 + hello.getUnsignedShort(at);
            at += 2;
            if (end > hello.writerIndex()) {
                return null;
            }
            while (at < end) {
                int type = hello.getUnsignedShort(at);
                int length = hello.getUnsignedShort(at + 2);
                int data = at + 4;
                at = data + length;
                if (at > end) {
                    return null;
                }
                if (type == EXTENSION_SERVER_NAME) {
                    serverName = serverName(hello, data, at);
                } else if (type == EXTENSION_ALPN) {
                    protocols = protocols(hello, data, at);
                    if (protocols == null) {
                        return null;
                    }
                }
            }
            return new Offer(serverName, protocols);
        } catch (IndexOutOfBoundsException malformed) {
            return null;
        }
    }

    /** The host_name entry of a server_name extension (RFC 6066 section 3). */
    private static String serverName(ByteBuf hello, int at, int end) {
        int listEnd = at + 2 + hello.getUnsignedShort(at);
        at += 2;
        while (at + 3 <= Math.min(listEnd, end)) {
            int type = hello.getUnsignedByte(at);
            int length = hello.getUnsignedShort(at + 1);
            if (type == 0 && at + 3 + length <= end) {
                return hello.toString(at + 3, length, StandardCharsets.US_ASCII);
            }
            at += 3 + length;
        }
        return null;
    }

    /** The protocol_name_list of an ALPN extension (RFC 7301 section 3.1); null when it is malformed. */
    private static List<String> protocols(ByteBuf hello, int at, int end) {
        int listEnd = at + 2 + hello.getUnsignedShort(at);
        if (listEnd != end) {
            return null;
        }
        at += 2;
        List<String> protocols = new ArrayList<>();
        while (at < end) {
            int length = hello.getUnsignedByte(at);
            if (length == 0 || at + 1 + length > end) {
                return null;
            }
            protocols.add(hello.toString(at + 1, length, StandardCharsets.US_ASCII));
            at += 1 + length;
        }
        return List.copyOf(protocols);
    }

    /** After the validation handshake: nothing is exchanged, the connection ends (RFC 8737 section 3). */
    private static final class ValidationDone extends ChannelInboundHandlerAdapter {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof SslHandshakeCompletionEvent done) {
                if (done.isSuccess()) {
                    LOG.info("tls.acme.validation remote_addr={}", ServerConnection.remote(ctx.channel()));
                } else {
                    LOG.info("tls.handshake.failed remote_addr={} reason=\"{}\"", ServerConnection.remote(ctx.channel()),
                            ServerConnection.reason(done.cause()));
                }
                ctx.close();
                return;
            }
            ctx.fireUserEventTriggered(event);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
            ctx.close();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
