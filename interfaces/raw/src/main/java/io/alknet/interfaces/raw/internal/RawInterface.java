package io.alknet.interfaces.raw.internal;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.api.Identity;
import io.alknet.api.call.EnvelopeHandler;
import io.alknet.api.call.EnvelopeSender;
import io.alknet.api.call.EventEnvelope;
import io.alknet.api.interfaces.ClientSessionOptions;
import io.alknet.api.interfaces.RemoteForward;
import io.alknet.api.interfaces.ServerConnection;
import io.alknet.api.interfaces.ServerContext;
import io.alknet.api.interfaces.StreamInterface;
import io.alknet.api.interfaces.TunnelSession;
import io.alknet.api.identity.Credential;
import io.alknet.api.identity.IdentityResolution;
import io.alknet.api.stream.PeerInfo;
import io.alknet.api.stream.TransportStream;
import io.alknet.api.transport.SecurityLevel;
import io.alknet.call.FramedEnvelopes;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Raw framing (spec: interfaces): the whole stream is one call-protocol channel, no SSH. The client's first
 * frame authenticates, {@code {"type":"auth","id":"","payload":{"token":"…"}}} with a signed token or an API
 * key; the server answers {@code auth.ok} (with the identity's id and scopes) or {@code auth.failed} (with a
 * reason) and, after a failure, closes. From then on both sides exchange envelopes as over the SSH control
 * channel. A raw stream has no encryption of its own, so the server refuses it on an unprotected transport
 * from anywhere but loopback unless {@code allow-insecure} is set.
 */
final class RawInterface implements StreamInterface {

    static final String AUTH = "auth";
    static final String AUTH_OK = "auth.ok";
    static final String AUTH_FAILED = "auth.failed";
    private static final String API_KEY_PREFIX = "alk_";

    private final int maxFrame;
    private final Duration authTimeout;
    private final boolean allowInsecure;
    private final Optional<String> credential;

    RawInterface(int maxFrame, Duration authTimeout, boolean allowInsecure, Optional<String> credential) {
        this.maxFrame = maxFrame;
        this.authTimeout = authTimeout;
        this.allowInsecure = allowInsecure;
        this.credential = credential;
    }

    @Override
    public String name() {
        return "raw";
    }

    @Override
    public ServerConnection serve(TransportStream stream, ServerContext context) {
        RawServerConnection connection = new RawServerConnection(stream, context);
        connection.start();
        return connection;
    }

    @Override
    public CompletionStage<TunnelSession> connect(TransportStream stream, ClientSessionOptions options) {
        if (credential.isEmpty() || credential.get().isBlank()) {
            stream.abort();
            return CompletableFuture.failedFuture(new AlknetException(ErrorCode.AUTH_REJECTED,
                    "the raw interface needs a credential: set interface.raw.credential to a token (alknet token) or an API key"));
        }
        RawClientSession session = new RawClientSession(stream);
        return session.authenticate(credential.get(), authTimeout);
    }

    @Override
    public void close() {
        // sessions close with their streams
    }

    private static Map<String, Object> reason(String reason, String message) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("reason", reason);
        payload.put("message", message);
        return payload;
    }

    private static boolean loopback(PeerInfo peer) {
        return peer.remoteAddress().map(address -> address instanceof InetSocketAddress inet && inet.getAddress() != null
                && inet.getAddress().isLoopbackAddress()).orElse(false);
    }

    /** The server half: waits for the auth frame, then hands the stream to the kernel's call protocol. */
    private final class RawServerConnection implements ServerConnection, EnvelopeHandler {
        private final TransportStream stream;
        private final ServerContext context;
        private final FramedEnvelopes framed;
        private volatile Identity identity;
        /** One auth attempt per connection: after a refusal every further frame is dropped until the close. */
        private final java.util.concurrent.atomic.AtomicBoolean refused = new java.util.concurrent.atomic.AtomicBoolean();

        RawServerConnection(TransportStream stream, ServerContext context) {
            this.stream = stream;
            this.context = context;
            this.framed = new FramedEnvelopes(stream, maxFrame);
        }

        void start() {
            framed.start(this);
            if (stream.peer().security() == SecurityLevel.UNPROTECTED && !allowInsecure && !loopback(stream.peer())) {
                context.authenticationFailed("-", "raw", "insecure_transport");
                refuse("insecure_transport", "raw framing carries credentials: use a TLS or iroh listener, or set interface.raw.allow-insecure");
                return;
            }
            CompletableFuture.delayedExecutor(authTimeout.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
                if (identity == null && stream.isOpen()) {
                    context.authenticationFailed("-", "raw", "auth_timeout");
                    refuse("auth_timeout", "no auth frame within " + authTimeout.toSeconds() + "s");
                }
            });
        }

        private void refuse(String reason, String message) {
            if (!refused.compareAndSet(false, true)) {
                return;
            }
            framed.send(new EventEnvelope(AUTH_FAILED, "", RawInterface.reason(reason, message)))
                    .whenComplete((ignored, error) -> stream.close());
        }

        @Override
        public void onEnvelope(EventEnvelope envelope) {
            if (identity != null || refused.get()) {
                return; // frames pipelined behind a refused auth frame are not more guesses
            }
            if (!envelope.type().equals(AUTH) || !(envelope.payload() instanceof Map<?, ?> payload)
                    || !(payload.get("token") instanceof String token) || token.isBlank()) {
                context.authenticationFailed("-", "raw", "no_auth_frame");
                refuse("protocol", "authenticate first: {\"type\":\"auth\",\"id\":\"\",\"payload\":{\"token\":\"…\"}}");
                return;
            }
            Credential presented = token.startsWith(API_KEY_PREFIX)
                    ? new Credential.ApiKey(stream.peer(), "", token.strip())
                    : new Credential.Token(stream.peer(), "", token.strip());
            IdentityResolution resolution = context.resolve(presented);
            if (!(resolution instanceof IdentityResolution.Resolved resolved)) {
                String reason = resolution instanceof IdentityResolution.Rejected rejected ? rejected.reason() : "unknown_credential";
                context.authenticationFailed(presented, reason);
                refuse(reason, "the credential was not accepted");
                return;
            }
            EnvelopeHandler calls;
            try {
                context.authenticated(presented, resolved.identity()); // QUOTA_EXCEEDED past the identity's sessions
                calls = context.openCalls(resolved.identity(), framed);
            } catch (AlknetException e) {
                refuse(e.code() == ErrorCode.QUOTA_EXCEEDED ? "quota_exceeded" : "forward_denied", e.getMessage());
                return;
            }
            identity = resolved.identity();
            framed.handler(calls);
            Map<String, Object> ok = new LinkedHashMap<>();
            ok.put("identity", identity.id());
            ok.put("scopes", List.copyOf(new java.util.TreeSet<>(identity.scopes())));
            framed.send(new EventEnvelope(AUTH_OK, "", ok));
        }

        @Override
        public void onMalformed(String requestId, String reason) {
            if (refused.get()) {
                return;
            }
            if (identity == null) {
                context.authenticationFailed("-", "raw", "malformed_frame");
                refuse("protocol", "the first frame must be an auth envelope: " + reason);
            }
        }

        @Override
        public void onClosed() {
        }

        @Override
        public Optional<Identity> identity() {
            return Optional.ofNullable(identity);
        }

        @Override
        public CompletionStage<Void> close(Duration grace) {
            stream.close();
            return stream.closeFuture();
        }

        @Override
        public CompletionStage<Void> closeFuture() {
            return stream.closeFuture();
        }
    }

    /** The client half: one stream, one call-protocol channel; no tunnels. */
    private final class RawClientSession implements TunnelSession, EnvelopeHandler {
        private final TransportStream stream;
        private final FramedEnvelopes framed;
        private final CompletableFuture<TunnelSession> authenticated = new CompletableFuture<>();
        private final Queue<Runnable> early = new ArrayDeque<>();
        private EnvelopeHandler target;
        private String serverIdentity = "";

        RawClientSession(TransportStream stream) {
            this.stream = stream;
            this.framed = new FramedEnvelopes(stream, maxFrame);
            stream.closeFuture().whenComplete((ignored, error) -> authenticated.completeExceptionally(
                    new AlknetException(ErrorCode.CONNECTION_FAILED, "the server closed the stream before authenticating")));
        }

        CompletionStage<TunnelSession> authenticate(String token, Duration timeout) {
            framed.start(this);
            framed.send(new EventEnvelope(AUTH, "", Map.of("token", token)));
            return authenticated.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((session, error) -> {
                if (error != null) {
                    stream.abort();
                }
            });
        }

        @Override
        public void onEnvelope(EventEnvelope envelope) {
            if (!authenticated.isDone()) {
                if (envelope.type().equals(AUTH_OK)) {
                    if (envelope.payload() instanceof Map<?, ?> payload && payload.get("identity") instanceof String id) {
                        serverIdentity = id;
                    }
                    authenticated.complete(this);
                } else if (envelope.type().equals(AUTH_FAILED)) {
                    String why = envelope.payload() instanceof Map<?, ?> payload ? payload.get("reason") + ": " + payload.get("message") : "";
                    authenticated.completeExceptionally(new AlknetException(ErrorCode.AUTH_REJECTED, "the server refused the credential ("
                            + why + "); check the token's age and key, or the API key (alknet apikey list)"));
                }
                return;
            }
            deliver(handler -> handler.onEnvelope(envelope));
        }

        private void deliver(java.util.function.Consumer<EnvelopeHandler> event) {
            EnvelopeHandler current;
            synchronized (this) {
                current = target;
                if (current == null) {
                    early.add(() -> event.accept(target));
                    return;
                }
            }
            event.accept(current);
        }

        @Override
        public void onMalformed(String requestId, String reason) {
            deliver(handler -> handler.onMalformed(requestId, reason));
        }

        @Override
        public CompletionStage<Void> onInputEnded() {
            stream.close();
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void onClosed() {
            deliver(EnvelopeHandler::onClosed);
        }

        @Override
        public CompletionStage<EnvelopeSender> openCalls(EnvelopeHandler fromServer) {
            List<Runnable> waiting;
            synchronized (this) {
                if (target != null) {
                    return CompletableFuture.failedFuture(new AlknetException(ErrorCode.UNSUPPORTED,
                            "a raw session carries one call-protocol channel, already open"));
                }
                target = fromServer;
                waiting = List.copyOf(early);
                early.clear();
            }
            waiting.forEach(Runnable::run);
            return CompletableFuture.completedFuture(framed);
        }

        @Override
        public PeerInfo peer() {
            return stream.peer();
        }

        /** A raw session has no host key; the server is known by the transport (TLS, iroh) or not at all. */
        @Override
        public String serverKeyFingerprint() {
            return stream.peer().transportIdentity().orElse("");
        }

        @Override
        public CompletionStage<TransportStream> openChannel(String host, int port) {
            return unsupported();
        }

        @Override
        public CompletionStage<TransportStream> openUdpRelay() {
            return unsupported();
        }

        @Override
        public CompletionStage<RemoteForward> requestRemoteForward(String bindHost, int bindPort, RemoteForward.Handler handler) {
            return unsupported();
        }

        private <T> CompletionStage<T> unsupported() {
            return CompletableFuture.failedFuture(new AlknetException(ErrorCode.UNSUPPORTED,
                    "a raw-framing session carries only the call protocol; use SSH for tunnels"));
        }

        @Override
        public boolean isOpen() {
            return stream.isOpen();
        }

        @Override
        public CompletionStage<Void> closeFuture() {
            return stream.closeFuture();
        }

        @Override
        public void close() {
            stream.close();
        }

        @Override
        public String toString() {
            return "raw session (server identity " + serverIdentity + ")";
        }
    }
}
