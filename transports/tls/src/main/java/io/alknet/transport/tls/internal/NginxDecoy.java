package io.alknet.transport.tls.internal;

import io.alknet.api.interfaces.HttpGateway;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.handler.ssl.SslHandler;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What a stealth listener shows everything that is not SSH: a default nginx 1.22 with {@code server_tokens off} whose
 * {@code root} is the decoy directory (or does not exist: every page a 404). Requests are read as nginx reads them
 * ({@link NginxRequestParser}), answered as nginx answers ({@link NginxResponses}, {@link DecoyFiles}), over keep-alive
 * connections closed after nginx's timeouts, refusals closed with nginx's lingering close. Plain HTTP sent to the TLS
 * port gets nginx's "plain HTTP request was sent to HTTPS port" page.
 *
 * <p>The one exception (spec decision 10): a request under {@code /v1/} that carries {@code Authorization}, while the
 * server runs an HTTP interface, goes to that interface in-process ({@link HttpGateway}) with this connection's peer;
 * its answer is shown only if the interface accepted the credential. Anything else gets what nginx would answer.
 *
 * <p>Every way out ends the connection: the client's FIN or close_notify (at once, or after the answer in progress),
 * a malformed body, a failed write, and the {@link ConnectionTimer} in every state that waits for the client.
 */
final class NginxDecoy extends ChannelInboundHandlerAdapter {

    /** nginx's {@code client_max_body_size}: a larger request is a 413 (and the most the HTTP gateway gets). */
    static final long MAX_BODY = 1 << 20;
    /** nginx's {@code lingering_timeout} and {@code lingering_time}. */
    private static final Duration LINGERING_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration LINGERING_TIME = Duration.ofSeconds(30);
    /** Requests under this path may be calls for the HTTP interface. */
    static final String CALL_PREFIX = "/v1/";

    private enum State {
        /** Waiting for (the rest of) a request head. */
        HEAD,
        /** The gateway checks the credential of a request's head; input is paused. */
        CHECKING,
        /** Reading the body of the request answered (or to be answered by the gateway). */
        BODY,
        /** The gateway is answering; input is paused. */
        ANSWERING,
        /** The last answer is out (or going out); input is read and dropped until the client closes. */
        LINGERING
    }

    private final TlsSettings settings;
    private final DecoyFiles files;
    private final Supplier<Optional<HttpGateway>> gateways;
    private final boolean tls;
    private final ConnectionTimer timer;
    private ChannelHandlerContext ctx;
    private ByteBuf in;
    private State state = State.HEAD;
    private NginxRequest request;
    private RequestBody body;
    private HttpGateway gateway;
    private boolean inputClosed;
    /** Whether the head being read is timed already: the first from accept, later ones from their first byte. */
    private boolean headTimed = true;
    private int writing;
    /** The request's body is dropped, after a refusal: then the connection ends. */
    private boolean closeAfterBody;
    /** When dropping a body after the answer, or lingering, must end at the latest (nginx's lingering_time). */
    private long dropUntil;
    private boolean lingering;
    /** How much of {@link #in} the parser saw without finding a whole head: it runs again only once a line is added. */
    private int scanned;
    /** Where the last, unfinished line of {@link #in} starts (relative to its reader index). */
    private int lineStart;

    /**
     * @param gateways the server's HTTP interface, looked up per request
     * @param tls      false when the client spoke plain HTTP to the TLS port
     * @param timer    the connection's timer, armed since accept; the decoy takes it over
     */
    NginxDecoy(TlsSettings settings, Supplier<Optional<HttpGateway>> gateways, boolean tls, ConnectionTimer timer) {
        this.settings = settings;
        this.files = DecoyFiles.of(settings.decoyDirectory());
        this.gateways = gateways;
        this.tls = tls;
        this.timer = timer;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        ctx = context;
        in = context.alloc().buffer();
        timer.onExpiry(this::expired);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext context) {
        in.release();
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        ByteBuf data = (ByteBuf) msg;
        try {
            if (state == State.LINGERING) {
                if (lingering) {
                    waitLonger();
                }
                return;
            }
            in.writeBytes(data);
        } finally {
            data.release();
        }
        drive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext context, Object event) {
        if (event instanceof ChannelInputShutdownEvent || event instanceof SslCloseCompletionEvent) {
            // nginx stops at the client's end of input and closes without a close_notify of its own, once what it
            // is writing is out
            inputClosed = true;
            if (state == State.LINGERING) {
                if (writing == 0) {
                    closeQuietly(); // else linger() closes after the answer
                }
            } else {
                drive();
            }
            return;
        }
        context.fireUserEventTriggered(event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        closeQuietly();
    }

    /** Reads and answers what the input holds, until it needs more or the connection ends. */
    private void drive() {
        while (ctx.channel().isActive()) {
            switch (state) {
                case HEAD -> {
                    if (!in.isReadable()) {
                        if (inputClosed) {
                            finish();
                        }
                        return;
                    }
                    if (writing > 0) {
                        // pipelined requests wait until the last answer is out, as nginx's do: a client that reads
                        // nothing cannot make the server queue answers (its send timeout ends the connection)
                        ctx.channel().config().setAutoRead(false);
                        return;
                    }
                    if (!headTimed) {
                        headTimed = true;
                        timer.arm(settings.sniffTimeout()); // client_header_timeout, from the first byte of the request
                    }
                    if (!newLine()) {
                        if (inputClosed) {
                            finish();
                        }
                        return; // the parser saw all of this: a head sent a byte at a time is not parsed a byte at a time
                    }
                    switch (NginxRequestParser.parse(in)) {
                        case NginxRequestParser.Incomplete incomplete -> {
                            scannedAll();
                            if (inputClosed) {
                                finish();
                            }
                            return;
                        }
                        case NginxRequestParser.Refused refused -> {
                            in.skipBytes(refused.contentLength() > 0 ? refused.length() : in.readableBytes());
                            scanned = 0;
                            lineStart = 0;
                            answerAndClose(NginxResponses.page(refused.status(), refused.version(), "HEAD".equals(refused.method()),
                                    refused.padded(), false, null), RequestBody.dropped(refused.contentLength()));
                        }
                        case NginxRequestParser.Parsed parsed -> {
                            in.skipBytes(parsed.length());
                            scanned = 0;
                            lineStart = 0;
                            begin(parsed.request());
                        }
                    }
                }
                case BODY -> {
                    switch (body.consume(in)) {
                        case MORE -> {
                            if (inputClosed) {
                                finish();
                            } else if (gateway != null) {
                                timer.arm(settings.sniffTimeout()); // client_body_timeout: between two reads
                            } else {
                                waitLonger(); // nginx drops a body it answered already with its lingering timeouts
                            }
                            return;
                        }
                        case MALFORMED -> {
                            closeQuietly();
                            return;
                        }
                        case TOO_LARGE -> answerAndClose(page(413, false), null);
                        case DONE -> {
                            if (gateway != null) {
                                ask();
                                return;
                            }
                            if (closeAfterBody) {
                                finish();
                                return;
                            }
                            nextRequest();
                        }
                    }
                }
                case CHECKING, ANSWERING, LINGERING -> {
                    return;
                }
            }
        }
    }

    /** A complete head: answer it, or read its body for the gateway first. */
    private void begin(NginxRequest next) {
        request = next;
        gateway = null;
        if (!tls) {
            answerAndClose(page(497, false), RequestBody.dropped(next));
            return;
        }
        if (next.contentLength() > MAX_BODY) {
            answerAndClose(page(413, false), RequestBody.dropped(next));
            return;
        }
        timer.arm(settings.sniffTimeout()); // nginx's send and body timeouts have the same default
        Optional<HttpGateway> available = gateways.get();
        if (available.isPresent() && next.path().startsWith(CALL_PREFIX) && next.header("Authorization") != null) {
            check(available.get(), next);
            return;
        }
        answerAsNginx(false);
    }

    /**
     * Asks the gateway about the credential before the body is read: a stranger's body is never kept (nginx keeps
     * none either, it answers at once and drops it), only an accepted caller's, up to {@link #MAX_BODY}.
     */
    private void check(HttpGateway candidate, NginxRequest next) {
        state = State.CHECKING;
        ctx.channel().config().setAutoRead(false);
        candidate.accepts(ServerConnection.peer(ctx.channel()), next.headerMap())
                .whenComplete((accepted, failure) -> ctx.executor().execute(() -> {
                    if (!ctx.channel().isActive() || state != State.CHECKING) {
                        return;
                    }
                    ctx.channel().config().setAutoRead(true);
                    if (failure == null && Boolean.TRUE.equals(accepted)) {
                        gateway = candidate;
                        body = RequestBody.kept(next, MAX_BODY);
                        state = State.BODY;
                    } else {
                        state = State.HEAD; // as for anyone: nginx's answer, the body read and dropped after it
                        answerAsNginx(false);
                    }
                    drive();
                }));
    }

    /**
     * Whether the parser has something new to decide on: a line end it has not seen, or a line grown past nginx's
     * limit (refused at once, as nginx refuses it).
     */
    private boolean newLine() {
        if (scanned == 0 || scanned > in.readableBytes()) {
            return true;
        }
        if (in.indexOf(in.readerIndex() + scanned, in.writerIndex(), (byte) '\n') >= 0) {
            return true;
        }
        return in.readableBytes() - lineStart > NginxRequestParser.LINE_LIMIT || in.readableBytes() > NginxRequestParser.HEAD_LIMIT;
    }

    /** The parser saw all of {@link #in} without finding a whole head. */
    private void scannedAll() {
        scanned = in.readableBytes();
        int lastLineEnd = in.forEachByteDesc(in.readerIndex(), in.readableBytes(), b -> b != '\n');
        lineStart = lastLineEnd < 0 ? 0 : lastLineEnd + 1 - in.readerIndex();
    }

    /** What nginx answers {@code request}; its body, unless read already, is read and dropped after the answer. */
    private void answerAsNginx(boolean bodyRead) {
        InetSocketAddress local = (InetSocketAddress) ctx.channel().localAddress();
        DecoyFiles.Answer answer = files.answer(request, "https", local.getAddress().getHostAddress(), local.getPort());
        boolean headOnly = request.method().equals("HEAD");
        switch (answer) {
            case DecoyFiles.Page page -> respond(NginxResponses.page(page.status(), request.version(), headOnly, request.padsErrorPages(),
                    request.keepAlive(), page.location()), request.keepAlive(), bodyRead);
            case DecoyFiles.File file -> respond(request.http09() ? Unpooled.wrappedBuffer(file.content())
                    : NginxResponses.response(200, file.type(), file.content(), file.lastModified(), List.of(),
                            List.of("ETag: " + file.etag(), "Accept-Ranges: bytes"), request.keepAlive(), headOnly),
                    request.keepAlive(), bodyRead);
        }
    }

    /** nginx's page for {@code status} in answer to the current request (a refusal: no keep-alive). */
    private ByteBuf page(int status, boolean keepAlive) {
        return NginxResponses.page(status, request.version(), request.method().equals("HEAD"), request.padsErrorPages(), keepAlive, null);
    }

    /** Hands the request with its body to the HTTP interface; input waits meanwhile. */
    private void ask() {
        state = State.ANSWERING;
        ctx.channel().config().setAutoRead(false);
        timer.arm(settings.sniffTimeout()); // the interface times out its calls sooner; nginx's proxy_read_timeout is 60 s
        NginxRequest asked = request;
        HttpGateway.Request call = new HttpGateway.Request(ServerConnection.peer(ctx.channel()), asked.method(), asked.uri(),
                asked.headerMap(), body.bytes());
        gateway.handle(call).whenComplete((answer, failure) -> ctx.executor().execute(() -> answered(answer, failure)));
    }

    private void answered(HttpGateway.Response answer, Throwable failure) {
        if (!ctx.channel().isActive()) {
            return;
        }
        ctx.channel().config().setAutoRead(true);
        timer.arm(settings.sniffTimeout());
        if (failure != null || !answer.authenticated()) {
            answerAsNginx(true); // not a caller of the service: nginx's answer, as to anyone
        } else {
            String type = null;
            List<String> headers = new ArrayList<>();
            for (Map.Entry<String, String> header : answer.headers().entrySet()) {
                if (header.getKey().equalsIgnoreCase("Content-Type")) {
                    type = header.getValue();
                } else {
                    headers.add(header.getKey() + ": " + header.getValue());
                }
            }
            respond(NginxResponses.response(answer.status(), type, answer.body(), null, List.of(), headers, request.keepAlive(),
                    request.method().equals("HEAD")), request.keepAlive(), true);
        }
        drive();
    }

    /** Sends an answer; then the next request (after the rest of this body), or, without keep-alive, the end. */
    private void respond(ByteBuf response, boolean keepAlive, boolean bodyRead) {
        if (!keepAlive) {
            answerAndClose(response, bodyRead ? null : RequestBody.dropped(request));
            return;
        }
        write(response);
        if (bodyRead) {
            nextRequest();
        } else {
            dropBody(RequestBody.dropped(request), false);
        }
    }

    private void nextRequest() {
        request = null;
        body = null;
        gateway = null;
        state = State.HEAD;
        scanned = 0;
        lineStart = 0;
        headTimed = false;
        idleAfterAnswer();
    }

    /** keepalive_timeout runs once the answer is out and nothing of the next request has come. */
    private void idleAfterAnswer() {
        if (state == State.HEAD && !headTimed && writing == 0 && !in.isReadable()) {
            timer.arm(settings.keepaliveTimeout());
        }
    }

    /**
     * nginx's answer to a request it will not serve further: the body the client announced is read and dropped first
     * (else closing on unread data could reset the connection before the client read the answer), then the end.
     */
    private void answerAndClose(ByteBuf response, RequestBody unread) {
        write(response);
        if (unread != null && !unread.isEmpty()) {
            dropBody(unread, true);
        } else {
            timer.arm(settings.sniffTimeout()); // send_timeout
            finish();
        }
    }

    /** Reads the rest of an answered request's body and drops it; {@code thenClose}: the connection ends after it. */
    private void dropBody(RequestBody unread, boolean thenClose) {
        body = unread;
        gateway = null;
        closeAfterBody = thenClose;
        state = State.BODY;
        dropUntil = System.nanoTime() + LINGERING_TIME.toNanos();
        timer.arm(LINGERING_TIMEOUT);
    }

    /** No more requests on this connection: once the last answer is out, the lingering close. */
    private void finish() {
        state = State.LINGERING;
        in.clear();
        if (writing == 0) {
            linger();
        }
    }

    private void write(ByteBuf response) {
        writing++;
        ctx.writeAndFlush(response).addListener(written -> {
            writing--;
            if (!written.isSuccess()) {
                closeQuietly();
            } else if (state == State.LINGERING) {
                if (writing == 0) {
                    linger();
                }
            } else {
                idleAfterAnswer();
                if (writing == 0 && state == State.HEAD) {
                    // a pipelined request that waited for this answer; as a task, since a write may complete within
                    // the call that made it, in the middle of answering
                    ctx.executor().execute(this::resumeAfterAnswer);
                }
            }
        });
    }

    private void resumeAfterAnswer() {
        if (writing == 0 && state == State.HEAD && ctx.channel().isActive()) {
            ctx.channel().config().setAutoRead(true);
            drive();
        }
    }

    /**
     * nginx's lingering close: the answer is out, so say so (close_notify, FIN) but keep reading and dropping what the
     * client still sends, so that closing on unread data cannot reset the connection before the client read the
     * answer; close when the client closes, after 5 s without data, or after 30 s in all.
     */
    private void linger() {
        if (lingering || !ctx.channel().isActive()) {
            return;
        }
        lingering = true;
        if (inputClosed) {
            closeQuietly();
            return;
        }
        dropUntil = System.nanoTime() + LINGERING_TIME.toNanos();
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        if (ssl != null) {
            ssl.closeOutbound().addListener(sent -> shutdownOutput());
        } else {
            shutdownOutput();
        }
        timer.arm(LINGERING_TIMEOUT);
    }

    /** Data while dropping or lingering: wait up to 5 s more for the next, within nginx's lingering_time. */
    private void waitLonger() {
        long left = dropUntil - System.nanoTime();
        if (left <= 0) {
            closeQuietly();
        } else {
            timer.arm(Duration.ofNanos(Math.min(left, LINGERING_TIMEOUT.toNanos())));
        }
    }

    private void shutdownOutput() {
        if (ctx.channel() instanceof DuplexChannel duplex && duplex.isActive()) {
            duplex.shutdownOutput();
        }
    }

    /**
     * The timer fired: a connection waiting for a request with nothing of it received is closed as nginx closes an
     * idle one (with close_notify); one in the middle of something as nginx closes a timed-out one (without).
     */
    private void expired() {
        if (state == State.HEAD && writing == 0 && !in.isReadable()) {
            ctx.close();
        } else {
            closeQuietly();
        }
    }

    private void closeQuietly() {
        ServerConnection.closeQuietly(ctx.channel());
    }
}
