package io.alknet.transport.tls.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What a stealth listener shows everything that is not SSH: the answers of a default nginx — the same
 * status lines, header order ({@code Server: nginx}, {@code Date}, {@code Content-Type},
 * {@code Content-Length}, {@code Connection}) and error pages byte for byte — or the files of a decoy
 * directory. Malformed requests get nginx's 400 and a close.
 */
final class NginxDecoy extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US);
    private static final Map<String, String> TYPES = Map.of("html", "text/html", "htm", "text/html", "css", "text/css",
            "js", "application/javascript", "txt", "text/plain", "png", "image/png", "jpg", "image/jpeg", "svg", "image/svg+xml",
            "ico", "image/x-icon", "json", "application/json");

    /** Requests under this prefix go to the call protocol's HTTP interface when a backend is set. */
    static final String CALL_PREFIX = "/v1/";

    private final Optional<Path> decoyDirectory;
    private final Optional<java.net.InetSocketAddress> callBackend;
    private final Class<? extends io.netty.channel.socket.SocketChannel> channelType;

    /**
     * @param callBackend the HTTP interface ({@code alknet serve --http}) that {@code /v1/…} requests are
     *                    passed to, with the visitor's address in {@code X-Forwarded-For}; empty: all 404s
     */
    NginxDecoy(Optional<Path> decoyDirectory, Optional<java.net.InetSocketAddress> callBackend,
               Class<? extends io.netty.channel.socket.SocketChannel> channelType) {
        this.decoyDirectory = decoyDirectory.map(path -> path.toAbsolutePath().normalize());
        this.callBackend = callBackend;
        this.channelType = channelType;
    }

    /** nginx's built-in error page for {@code status}, with its CRLF line ends. */
    static String errorPage(String title, String heading, String detail) {
        return "<html>\r\n<head><title>" + title + "</title></head>\r\n<body>\r\n<center><h1>" + heading + "</h1></center>\r\n"
                + (detail == null ? "" : "<center>" + detail + "</center>\r\n")
                + "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
    }

    static final String NOT_FOUND = errorPage("404 Not Found", "404 Not Found", null);
    static final String BAD_REQUEST = errorPage("400 Bad Request", "400 Bad Request", null);
    static final String PLAIN_HTTP = errorPage("400 The plain HTTP request was sent to HTTPS port", "400 Bad Request",
            "The plain HTTP request was sent to HTTPS port");

    /** A complete response as nginx writes it (for the plain-HTTP case, before any TLS). */
    static ByteBuf rawResponse(String statusLine, String body, boolean keepAlive) {
        String head = statusLine + "\r\nServer: nginx\r\nDate: " + now() + "\r\nContent-Type: text/html\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\nConnection: " + (keepAlive ? "keep-alive" : "close") + "\r\n\r\n";
        return Unpooled.copiedBuffer(head + body, StandardCharsets.UTF_8);
    }

    static String now() {
        return HTTP_DATE.format(ZonedDateTime.now(ZoneOffset.UTC));
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!request.decoderResult().isSuccess() || path(request) == null) {
            // nginx answers a request line it cannot decode (e.g. GET /%zz) with its 400 page, and so do we
            FullHttpResponse bad = page(HttpResponseStatus.BAD_REQUEST, BAD_REQUEST);
            headers(bad, "text/html", bad.content().readableBytes(), false);
            ctx.writeAndFlush(bad).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (callBackend.isPresent() && path(request).startsWith(CALL_PREFIX)) {
            forward(ctx, request.retain(), keepAlive);
            return;
        }
        boolean head = request.method().equals(HttpMethod.HEAD);
        Optional<Path> file = decoyFile(request);
        FullHttpResponse response;
        if (file.isPresent() && (head || request.method().equals(HttpMethod.GET))) {
            byte[] content;
            try {
                content = Files.readAllBytes(file.get());
            } catch (IOException e) {
                content = null;
            }
            response = content == null ? page(HttpResponseStatus.NOT_FOUND, NOT_FOUND)
                    : new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(content));
            if (content != null) {
                headers(response, type(file.get()), content.length, keepAlive);
            }
        } else {
            response = page(HttpResponseStatus.NOT_FOUND, NOT_FOUND);
            headers(response, "text/html", response.content().readableBytes(), keepAlive);
        }
        if (head) {
            response.content().clear();
        }
        var written = ctx.writeAndFlush(response);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    /**
     * Passes a call-protocol request to the HTTP interface on loopback and its answer back: the stealth port
     * then serves the call protocol too (spec: HTTP behind the stealth port), while every other path stays
     * an nginx decoy. The visitor's address travels in {@code X-Forwarded-For} (any such header the visitor
     * sent is replaced), so audit lines and penalties name the real source.
     */
    private void forward(ChannelHandlerContext ctx, FullHttpRequest request, boolean keepAlive) {
        request.headers().set("X-Forwarded-For", ServerConnection.remote(ctx.channel()));
        request.headers().set("Connection", "close");
        new io.netty.bootstrap.Bootstrap()
                .group(ctx.channel().eventLoop())
                .channel(channelType)
                .handler(new io.netty.channel.ChannelInitializer<io.netty.channel.socket.SocketChannel>() {
                    @Override
                    protected void initChannel(io.netty.channel.socket.SocketChannel backend) {
                        backend.pipeline()
                                .addLast(new io.netty.handler.codec.http.HttpClientCodec())
                                .addLast(new io.netty.handler.codec.http.HttpObjectAggregator(4 << 20))
                                .addLast(new SimpleChannelInboundHandler<FullHttpResponse>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext backendCtx, FullHttpResponse answer) {
                                        FullHttpResponse copy = answer.retainedDuplicate();
                                        copy.headers().set("Connection", keepAlive ? "keep-alive" : "close");
                                        var written = ctx.writeAndFlush(copy);
                                        if (!keepAlive) {
                                            written.addListener(ChannelFutureListener.CLOSE);
                                        }
                                        backendCtx.close();
                                    }

                                    @Override
                                    public void exceptionCaught(ChannelHandlerContext backendCtx, Throwable cause) {
                                        backendCtx.close();
                                        badGateway(ctx);
                                    }
                                });
                    }
                })
                .connect(callBackend.get())
                .addListener((io.netty.channel.ChannelFuture connected) -> {
                    if (connected.isSuccess()) {
                        connected.channel().writeAndFlush(request);
                    } else {
                        request.release();
                        badGateway(ctx);
                    }
                });
    }

    private static void badGateway(ChannelHandlerContext ctx) {
        FullHttpResponse bad = page(HttpResponseStatus.BAD_GATEWAY, errorPage("502 Bad Gateway", "502 Bad Gateway", null));
        headers(bad, "text/html", bad.content().readableBytes(), false);
        ctx.writeAndFlush(bad).addListener(ChannelFutureListener.CLOSE);
    }

    private static FullHttpResponse page(HttpResponseStatus status, String body) {
        return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
    }

    private static void headers(FullHttpResponse response, String type, int length, boolean keepAlive) {
        // spelled as nginx spells them (Netty's constants are lower case)
        response.headers().set("Server", "nginx");
        response.headers().set("Date", now());
        response.headers().set("Content-Type", type);
        response.headers().set("Content-Length", length);
        response.headers().set("Connection", keepAlive ? "keep-alive" : "close");
    }

    /** The decoded path of the request, or {@code null} when its percent-escapes are malformed. */
    static String path(FullHttpRequest request) {
        try {
            return new QueryStringDecoder(request.uri()).path();
        } catch (IllegalArgumentException malformed) {
            return null;
        }
    }

    private Optional<Path> decoyFile(FullHttpRequest request) {
        if (decoyDirectory.isEmpty()) {
            return Optional.empty();
        }
        String path = path(request);
        if (path.endsWith("/")) {
            path += "index.html";
        }
        Path file = decoyDirectory.get().resolve(path.substring(1)).normalize();
        if (!file.startsWith(decoyDirectory.get()) || !Files.isRegularFile(file)) {
            return Optional.empty();
        }
        return Optional.of(file);
    }

    private static String type(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "application/octet-stream" : TYPES.getOrDefault(name.substring(dot + 1).toLowerCase(Locale.ROOT), "application/octet-stream");
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
