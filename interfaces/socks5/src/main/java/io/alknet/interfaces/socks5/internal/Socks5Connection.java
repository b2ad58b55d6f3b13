package io.alknet.interfaces.socks5.internal;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.api.frontend.Tunnel;
import io.alknet.api.stream.PeerInfo;
import io.alknet.api.stream.TransportStream;
import io.alknet.api.transport.SecurityLevel;
import io.alknet.netty.EventLoops;
import io.alknet.netty.NettyTransportStream;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.socksx.v4.DefaultSocks4CommandResponse;
import io.netty.handler.codec.socksx.v4.Socks4CommandRequest;
import io.netty.handler.codec.socksx.v4.Socks4CommandStatus;
import io.netty.handler.codec.socksx.v5.DefaultSocks5InitialResponse;
import io.netty.handler.codec.socksx.v5.DefaultSocks5PasswordAuthResponse;
import io.netty.handler.codec.socksx.v5.Socks5AddressType;
import io.netty.handler.codec.socksx.v5.Socks5AuthMethod;
import io.netty.handler.codec.socksx.v5.Socks5CommandRequest;
import io.netty.handler.codec.socksx.v5.Socks5CommandRequestDecoder;
import io.netty.handler.codec.socksx.v5.Socks5CommandStatus;
import io.netty.handler.codec.socksx.v5.Socks5CommandType;
import io.netty.handler.codec.socksx.v5.Socks5InitialRequest;
import io.netty.handler.codec.socksx.v5.Socks5InitialRequestDecoder;
import io.netty.handler.codec.socksx.v5.Socks5PasswordAuthRequest;
import io.netty.handler.codec.socksx.v5.Socks5PasswordAuthRequestDecoder;
import io.netty.handler.codec.socksx.v5.Socks5PasswordAuthStatus;
import io.netty.handler.codec.socksx.v5.Socks5ServerEncoder;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One SOCKS5 client connection: greeting, optional RFC 1929 authentication, then one request. Parsing
 * is Netty's SOCKS codec; this class decides. CONNECT opens a tunnel channel to the requested host
 * (sent unresolved: no DNS leak) and splices; bytes the client pipelined after its request are kept
 * and delivered first. SOCKS4 and BIND are refused with their proper replies. Targets are never logged.
 */
final class Socks5Connection extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger("alknet.socks5");

    private final Tunnel tunnel;
    private final Socks5Settings settings;
    private final EventLoops.Lease loops;
    private final List<ByteBuf> pipelined = new ArrayList<>();
    private boolean requested;
    private boolean greetingUnflushed;
    private boolean udp;

    Socks5Connection(Tunnel tunnel, Socks5Settings settings, EventLoops.Lease loops) {
        this.tunnel = tunnel;
        this.settings = settings;
        this.loops = loops;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        switch (message) {
            case Socks4CommandRequest socks4 -> refuseSocks4(ctx);
            case Socks5InitialRequest greeting -> greeting(ctx, greeting);
            case Socks5PasswordAuthRequest auth -> authenticate(ctx, auth);
            case Socks5CommandRequest request -> request(ctx, request);
            case ByteBuf bytes -> {
                if (requested && !udp && ctx.channel().isActive()) {
                    pipelined.add(bytes); // data sent right behind the request, before our reply
                } else {
                    bytes.release();
                }
            }
            default -> {
                ReferenceCountUtil.release(message);
                flushAndClose(ctx);
            }
        }
    }

    private void refuseSocks4(ChannelHandlerContext ctx) {
        LOG.debug("socks.refused version=4 reason=only SOCKS5 is supported");
        ctx.writeAndFlush(new DefaultSocks4CommandResponse(Socks4CommandStatus.REJECTED_OR_FAILED))
                .addListener(ChannelFutureListener.CLOSE);
    }

    private void greeting(ChannelHandlerContext ctx, Socks5InitialRequest greeting) {
        if (greeting.decoderResult().isFailure()) {
            // e.g. zero methods offered: answer "no acceptable method" as RFC 1928 asks
            LOG.debug("socks.malformed reason={}", greeting.decoderResult().cause().getMessage());
            ctx.writeAndFlush(new DefaultSocks5InitialResponse(Socks5AuthMethod.UNACCEPTED)).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        Socks5AuthMethod wanted = settings.username().isPresent() ? Socks5AuthMethod.PASSWORD : Socks5AuthMethod.NO_AUTH;
        if (!greeting.authMethods().contains(wanted)) {
            LOG.debug("socks.refused reason=no acceptable authentication method");
            ctx.writeAndFlush(new DefaultSocks5InitialResponse(Socks5AuthMethod.UNACCEPTED)).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ChannelPipeline pipeline = ctx.pipeline();
        ChannelHandler next = wanted == Socks5AuthMethod.PASSWORD ? new Socks5PasswordAuthRequestDecoder() : new Socks5CommandRequestDecoder();
        pipeline.replace(Socks5InitialRequestDecoder.class, "socks5-decoder", next);
        // Flushed when the read is complete, unless the client sent its request right behind the greeting:
        // then it goes out with the request's reply, one write instead of two.
        ctx.write(new DefaultSocks5InitialResponse(wanted));
        greetingUnflushed = true;
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (greetingUnflushed && !requested) {
            ctx.flush();
        }
        greetingUnflushed = false;
        ctx.fireChannelReadComplete();
    }

    private void authenticate(ChannelHandlerContext ctx, Socks5PasswordAuthRequest auth) {
        if (failed(ctx, auth.decoderResult())) {
            return;
        }
        boolean userOk = constantTimeEquals(auth.username().getBytes(StandardCharsets.UTF_8),
                settings.username().orElseThrow().getBytes(StandardCharsets.UTF_8));
        boolean passwordOk = constantTimeEquals(auth.password().getBytes(StandardCharsets.UTF_8), settings.password().orElseThrow());
        if (!(userOk & passwordOk)) {
            LOG.warn("socks.auth.failure remote_addr={} reason=bad_credentials", remoteHost(ctx));
            ctx.writeAndFlush(new DefaultSocks5PasswordAuthResponse(Socks5PasswordAuthStatus.FAILURE)).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.pipeline().replace("socks5-decoder", "socks5-decoder", new Socks5CommandRequestDecoder());
        ctx.writeAndFlush(new DefaultSocks5PasswordAuthResponse(Socks5PasswordAuthStatus.SUCCESS));
    }

    private void request(ChannelHandlerContext ctx, Socks5CommandRequest request) {
        DecoderResult result = request.decoderResult();
        if (result.isFailure()) {
            String cause = String.valueOf(result.cause().getMessage()).toLowerCase(Locale.ROOT);
            if (cause.contains("unsupported version")) {
                // a reply would have to speak a version the client did not: close, as for a greeting of another version
                LOG.debug("socks.request.malformed reason=version");
                releasePipelined();
                flushAndClose(ctx);
                return;
            }
            Socks5CommandStatus status = cause.contains("address type") ? Socks5CommandStatus.ADDRESS_UNSUPPORTED : Socks5CommandStatus.FAILURE;
            LOG.debug("socks.request.malformed status={}", status);
            replyAndClose(ctx, status);
            return;
        }
        requested = true;
        Socks5CommandType type = request.type();
        if (type.equals(Socks5CommandType.CONNECT)) {
            connect(ctx, request);
        } else if (type.equals(Socks5CommandType.UDP_ASSOCIATE) && settings.udp()) {
            udp = true; // the TCP connection now only marks the association's lifetime
            removeIfPresent(ctx.pipeline(), Socks5FrontEnd.HANDSHAKE_TIMEOUT);
            UdpAssociation.start(ctx, tunnel, loops);
        } else {
            LOG.debug("socks.refused command={} reason=not supported", type);
            replyAndClose(ctx, Socks5CommandStatus.COMMAND_UNSUPPORTED);
        }
    }

    private void connect(ChannelHandlerContext ctx, Socks5CommandRequest request) {
        String host = request.dstAddr();
        if (host == null || host.isEmpty() || request.dstPort() == 0) {
            replyAndClose(ctx, Socks5CommandStatus.HOST_UNREACHABLE);
            return;
        }
        if (request.dstAddrType().equals(Socks5AddressType.IPv6) && host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        }
        ctx.channel().config().setAutoRead(false);
        tunnel.openChannel(host, request.dstPort()).whenComplete((remote, error) -> {
            if (ctx.executor().inEventLoop()) {
                opened(ctx, remote, error); // the usual case: the tunnel shares this connection's event loop
            } else {
                ctx.executor().execute(() -> opened(ctx, remote, error));
            }
        });
    }

    private void opened(ChannelHandlerContext ctx, TransportStream remote, Throwable error) {
        if (error != null) {
            Socks5CommandStatus status = Replies.statusFor(error);
            LOG.debug("socks.connect.failed code={} status={}", AlknetException.codeOf(error, ErrorCode.CONNECTION_FAILED), status);
            replyAndClose(ctx, status);
            return;
        }
        if (!ctx.channel().isActive()) {
            remote.abort();
            releasePipelined();
            return;
        }
        ctx.writeAndFlush(Replies.reply(Socks5CommandStatus.SUCCESS)).addListener(written -> {
            if (!written.isSuccess()) {
                remote.abort();
                return;
            }
            splice(ctx, remote);
        });
    }

    /** Hands the raw connection to the tunnel channel; SOCKS handlers leave the pipeline. */
    private void splice(ChannelHandlerContext ctx, TransportStream remote) {
        ChannelPipeline pipeline = ctx.pipeline();
        removeIfPresent(pipeline, Socks5FrontEnd.HANDSHAKE_TIMEOUT);
        removeIfPresent(pipeline, "socks5-decoder"); // may fire bytes it still held into this handler
        if (pipeline.get(Socks5ServerEncoder.class) != null) {
            pipeline.remove(Socks5ServerEncoder.class);
        }
        NettyTransportStream local = NettyTransportStream.attach(ctx.channel(), PeerInfo.socket("tcp",
                SecurityLevel.UNPROTECTED, ctx.channel().remoteAddress(), ctx.channel().localAddress()));
        List<ByteBuf> early = new ArrayList<>(pipelined);
        pipelined.clear();
        pipeline.remove(this);
        for (ByteBuf bytes : early) {
            pipeline.fireChannelRead(bytes);
        }
        tunnel.splice(local, remote);
    }

    private static void removeIfPresent(ChannelPipeline pipeline, String name) {
        if (pipeline.get(name) != null) {
            pipeline.remove(name);
        }
    }

    private boolean failed(ChannelHandlerContext ctx, DecoderResult result) {
        if (result.isFailure()) {
            LOG.debug("socks.malformed reason={}", result.cause().getMessage());
            flushAndClose(ctx);
            return true;
        }
        return false;
    }

    /** Closes after what is already written (a greeting's reply waiting for the end of the read) went out. */
    private static void flushAndClose(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    private void replyAndClose(ChannelHandlerContext ctx, Socks5CommandStatus status) {
        releasePipelined();
        if (ctx.pipeline().get(Socks5ServerEncoder.class) == null) {
            ctx.close();
            return;
        }
        ctx.writeAndFlush(Replies.reply(status)).addListener(ChannelFutureListener.CLOSE);
    }

    private void releasePipelined() {
        pipelined.forEach(ByteBuf::release);
        pipelined.clear();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof ChannelInputShutdownEvent) {
            // The client stopped sending before the handshake finished: nothing more can come. Or it ended the
            // connection that holds a UDP association: RFC 1928 ends the association with it.
            if (!requested || udp) {
                flushAndClose(ctx);
            }
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releasePipelined();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("socks.connection.failed error={}", cause.getClass().getSimpleName());
        releasePipelined();
        flushAndClose(ctx);
    }

    private static boolean constantTimeEquals(byte[] a, byte[] b) {
        return MessageDigest.isEqual(a, b);
    }

    private static String remoteHost(ChannelHandlerContext ctx) {
        return ctx.channel().remoteAddress() instanceof java.net.InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress() : "unknown";
    }
}
