package io.alknet.interfaces.http.internal;

import io.alknet.api.ErrorCode;
import io.alknet.api.interfaces.HttpGateway;
import io.alknet.api.interfaces.MessageContext;
import io.alknet.api.interfaces.MessageInterface;
import io.alknet.api.stream.PeerInfo;
import io.alknet.api.transport.SecurityLevel;
import io.alknet.netty.Bootstraps;
import io.alknet.netty.EventLoops;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.ReadTimeoutHandler;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP message interface (spec: interfaces): {@code POST /v1/call/SERVICE/OP} with the JSON input as the
 * body calls {@code /SERVICE/OP}; {@code GET /v1/ops} lists the operations the caller may call. The caller
 * authenticates each request with {@code Authorization: Bearer …} carrying a signed token or an API key
 * (never logged). Answers are {@code {"data": …}} or {@code {"error": {"code", "message", "retryable"}}}
 * with the status the kernel chose (401, 403, 404, 400, 408, 429, 500); the connection is closed after an answer
 * whose headers say {@code Connection: close} (a source the kernel refuses after too many failed logins).
 */
final class HttpInterface implements MessageInterface {

    private final String host;
    private final int port;
    private final int maxBody;
    private final java.util.Set<String> trustedProxies;
    private EventLoops.Lease loops;
    private Channel server;
    private HttpGateway gateway;

    HttpInterface(String host, int port, int maxBody, java.util.Set<String> trustedProxies) {
        this.host = host;
        this.port = port;
        this.maxBody = maxBody;
        this.trustedProxies = trustedProxies;
    }

    @Override
    public String name() {
        return "http";
    }

    @Override
    public synchronized CompletionStage<Void> start(MessageContext context) {
        HttpCalls calls = new HttpCalls(context);
        gateway = new Gateway(calls, maxBody);
        loops = EventLoops.acquire();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(loops.group())
                .channel(loops.serverSocketChannel())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline()
                                .addLast(new ReadTimeoutHandler(60, TimeUnit.SECONDS))
                                .addLast(new HttpServerCodec())
                                .addLast(new HttpServerExpectContinueHandler())
                                .addLast(new HttpObjectAggregator(maxBody))
                                .addLast(new Requests(calls, trustedProxies));
                    }
                });
        return Bootstraps.bind(bootstrap, new InetSocketAddress(host, port), ErrorCode.INVALID_CONFIG, "HTTP",
                "is the port in use? change --http").thenAccept(channel -> {
                    synchronized (this) {
                        server = channel;
                    }
                });
    }

    @Override
    public synchronized Optional<HttpGateway> httpGateway() {
        return Optional.ofNullable(gateway);
    }

    @Override
    public synchronized Map<String, String> info() {
        if (server == null) {
            return Map.of();
        }
        InetSocketAddress local = (InetSocketAddress) server.localAddress();
        String shown = local.getAddress().getHostAddress();
        return Map.of("address", (shown.indexOf(':') >= 0 ? "[" + shown + "]" : shown) + ":" + local.getPort());
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.close().syncUninterruptibly();
            server = null;
        }
        if (loops != null) {
            loops.close();
            loops = null;
        }
    }

    /**
     * Requests another listener received (the stealth TLS port), answered in-process: the peer is that listener's
     * connection, and no header can change it.
     */
    private record Gateway(HttpCalls calls, int maxBody) implements HttpGateway {

        @Override
        public CompletionStage<Response> handle(Request request) {
            if (request.body().length > maxBody) {
                return CompletableFuture.completedFuture(response(413,
                        HttpCalls.error("VALIDATION_ERROR", "the body is larger than " + maxBody + " bytes (interface.http.max-body)"), false));
            }
            return calls.answer(request.peer(), request.method(), request.uri(), name -> request.headers().get(name.toLowerCase(Locale.ROOT)),
                    request.body()).thenApply(answer -> {
                        Map<String, String> headers = new LinkedHashMap<>();
                        headers.put("Content-Type", "application/json");
                        headers.putAll(answer.headers());
                        return new Response(answer.status(), headers, HttpCalls.json(answer.body()), answer.authenticated());
                    });
        }

        @Override
        public CompletionStage<Boolean> accepts(PeerInfo peer, Map<String, String> headers) {
            return calls.accepts(peer, name -> headers.get(name.toLowerCase(Locale.ROOT)));
        }

        private static Response response(int status, Object body, boolean authenticated) {
            return new Response(status, Map.of("Content-Type", "application/json"), HttpCalls.json(body), authenticated);
        }
    }

    /** Answers one request at a time per connection (keep-alive honoured). */
    private static final class Requests extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final HttpCalls calls;
        private final java.util.Set<String> trustedProxies;

        Requests(HttpCalls calls, java.util.Set<String> trustedProxies) {
            this.calls = calls;
            this.trustedProxies = trustedProxies;
        }

        /**
         * The client: the socket's peer, or, when that peer is a reverse proxy the operator listed in
         * {@code trusted-proxies}, the address it forwarded for. Proxies append to {@code X-Forwarded-For}, so the
         * right-most address that is not itself a trusted proxy is the one the last trusted hop saw; anything to its
         * left the client may have written.
         */
        private InetSocketAddress client(InetSocketAddress direct, java.util.List<String> forwardedFor) {
            if (forwardedFor.isEmpty() || !trusted(direct.getAddress())) {
                return direct;
            }
            java.util.List<String> hops = forwardedFor.stream().flatMap(header -> java.util.Arrays.stream(header.split(","))).map(String::strip)
                    .filter(hop -> !hop.isEmpty()).toList();
            for (String hop : hops.reversed()) {
                java.net.InetAddress address;
                try {
                    address = java.net.InetAddress.ofLiteral(hop);
                } catch (IllegalArgumentException notAnAddress) {
                    return direct; // a hop we cannot read: trust nothing further left
                }
                if (!trusted(address)) {
                    return new InetSocketAddress(address, 0);
                }
            }
            return direct;
        }

        private boolean trusted(java.net.InetAddress address) {
            if (address == null) {
                return false;
            }
            for (String proxy : trustedProxies) {
                try {
                    if (java.net.InetAddress.ofLiteral(proxy).equals(address)) {
                        return true;
                    }
                } catch (IllegalArgumentException notAnAddress) {
                    // refused when the settings were read
                }
            }
            return false;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            if (!request.decoderResult().isSuccess()) {
                reply(ctx, 400, HttpCalls.error("PROTOCOL_ERROR", "malformed HTTP request"), false, Map.of());
                return;
            }
            byte[] body = new byte[request.content().readableBytes()];
            request.content().readBytes(body);
            InetSocketAddress remote = client((InetSocketAddress) ctx.channel().remoteAddress(), request.headers().getAll("X-Forwarded-For"));
            PeerInfo peer = PeerInfo.socket("http", SecurityLevel.UNPROTECTED, remote, ctx.channel().localAddress());
            calls.answer(peer, request.method().name(), request.uri(), request.headers()::get, body)
                    .whenComplete((answer, failure) -> {
                        if (failure != null) {
                            reply(ctx, 500, HttpCalls.error("EXECUTION_ERROR", "internal error"), keepAlive, Map.of());
                            return;
                        }
                        // the kernel closes the connection of a source it refuses (Connection: close)
                        boolean close = answer.headers().entrySet().stream().anyMatch(header ->
                                header.getKey().equalsIgnoreCase("Connection") && header.getValue().equalsIgnoreCase("close"));
                        reply(ctx, answer.status(), answer.body(), keepAlive && !close, answer.headers());
                    });
        }

        private static void reply(ChannelHandlerContext ctx, int status, Object body, boolean keepAlive, Map<String, String> headers) {
            byte[] json = HttpCalls.json(body);
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                    Unpooled.wrappedBuffer(json));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, json.length);
            headers.forEach((name, value) -> response.headers().set(name, value));
            if (status == 401) {
                response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"alknet\"");
            }
            if (keepAlive) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
                ctx.writeAndFlush(response);
            } else {
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
