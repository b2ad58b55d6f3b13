package io.alknet.interfaces.ssh.internal.server;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.api.Identity;
import io.alknet.api.interfaces.RemoteListener;
import io.alknet.api.interfaces.ServerContext;
import io.alknet.api.stream.Splice;
import io.alknet.api.stream.TransportStream;
import io.alknet.interfaces.ssh.internal.GatewayPorts;
import io.alknet.interfaces.ssh.internal.channel.OutgoingChannel;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.channel.RequestHandler;
import org.apache.sshd.common.session.ConnectionService;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.helpers.AbstractConnectionServiceRequestHandler;
import org.apache.sshd.common.util.buffer.Buffer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serves remote forwards: {@code tcpip-forward} and {@code cancel-tcpip-forward} (and keepalives, so
 * that global replies keep the order of the requests while a bind is in flight). The kernel checks the
 * policy and binds through the {@code tcp} transport; each accepted connection becomes a
 * {@code forwarded-tcpip} channel to the client, spliced with half-close. The address listened on is what
 * {@code gateway-ports} makes of the request, as OpenSSH's {@code GatewayPorts}: by default loopback, whatever
 * address the client names; the policy is asked about that address.
 */
final class RemoteForwardRequests extends AbstractConnectionServiceRequestHandler {

    private static final AttributeRepository.AttributeKey<State> STATE = new AttributeRepository.AttributeKey<>();

    private final GatewayPorts gatewayPorts;

    RemoteForwardRequests(GatewayPorts gatewayPorts) {
        this.gatewayPorts = gatewayPorts;
    }

    /** Per session: the listeners, and the chain that keeps global replies in request order. */
    private static final class State {
        final Map<String, RemoteListener> listeners = new ConcurrentHashMap<>();
        CompletableFuture<Void> replies = CompletableFuture.completedFuture(null);
    }

    @Override
    public RequestHandler.Result process(ConnectionService service, String request, boolean wantReply, Buffer buffer) {
        Session session = service.getSession();
        if (request.startsWith("keepalive@") || request.startsWith("keep-alive@")) {
            inOrder(session, CompletableFuture.completedFuture(true), wantReply, null);
            return RequestHandler.Result.Replied;
        }
        if (!request.equals("tcpip-forward") && !request.equals("cancel-tcpip-forward")) {
            return RequestHandler.Result.Unsupported;
        }
        String requestedHost = buffer.getString();
        int requestedPort = buffer.getInt();
        State state = state(session);
        if (request.equals("cancel-tcpip-forward")) {
            RemoteListener listener = state.listeners.remove(key(requestedHost, requestedPort));
            if (listener != null) {
                listener.close();
            }
            inOrder(session, CompletableFuture.completedFuture(listener != null), wantReply, null);
            return RequestHandler.Result.Replied;
        }
        ServerContext context = ServerSessions.context(session);
        Optional<Identity> identity = ServerSessions.identity(session);
        if (context == null || identity.isEmpty() || requestedPort < 0 || requestedPort > 65535) {
            inOrder(session, CompletableFuture.completedFuture(false), wantReply, null);
            return RequestHandler.Result.Replied;
        }
        String bindHost = gatewayPorts.bindAddress(requestedHost);
        CompletableFuture<Integer> bound = new CompletableFuture<>();
        context.listenRemote(identity.get(), bindHost, requestedPort,
                        accepted -> forward(session, requestedHost, bound, accepted))
                .whenComplete((listener, error) -> {
                    if (error != null) {
                        bound.completeExceptionally(error);
                        return;
                    }
                    int port = listener.port();
                    state.listeners.put(key(requestedHost, port), listener);
                    if (requestedPort != port) {
                        state.listeners.put(key(requestedHost, requestedPort), listener);
                    }
                    bound.complete(port);
                });
        inOrder(session, bound.thenApply(port -> true).exceptionally(error -> {
            explain(session, error);
            return false;
        }), wantReply, requestedPort == 0 ? bound : null);
        return RequestHandler.Result.Replied;
    }

    private static void explain(Session session, Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && !(cause instanceof AlknetException)) {
            cause = cause.getCause();
        }
        String reason = cause instanceof AlknetException alknet && alknet.code() == ErrorCode.FORWARD_DENIED
                ? "administratively prohibited: " + alknet.getMessage()
                : String.valueOf(cause.getMessage());
        RefusalReasons.explain(session, reason);
    }

    /** Sends the reply once {@code outcome} is known and every earlier reply went out. */
    private static void inOrder(Session session, CompletionStage<Boolean> outcome, boolean wantReply, CompletableFuture<Integer> port) {
        State state = state(session);
        synchronized (state) {
            state.replies = state.replies.thenCombine(outcome, (previous, success) -> success).thenAccept(success -> {
                if (!wantReply) {
                    return;
                }
                try {
                    Buffer reply = session.createBuffer(success ? SshConstants.SSH_MSG_REQUEST_SUCCESS : SshConstants.SSH_MSG_REQUEST_FAILURE,
                            Integer.BYTES);
                    if (success && port != null) {
                        reply.putUInt(port.join());
                    }
                    session.writePacket(reply);
                } catch (IOException e) {
                    session.close(true);
                }
            }).exceptionally(error -> null);
        }
    }

    /** A connection accepted on a remote forward: open a forwarded-tcpip channel to the client and splice. */
    private static void forward(Session session, String connectedHost, CompletableFuture<Integer> bound, TransportStream accepted) {
        int port = bound.getNow(-1);
        String originatorHost = "127.0.0.1";
        int originatorPort = 0;
        if (accepted.peer().remoteAddress().orElse(null) instanceof InetSocketAddress remote && remote.getAddress() != null) {
            originatorHost = remote.getAddress().getHostAddress();
            originatorPort = remote.getPort();
        }
        OutgoingChannel channel = OutgoingChannel.forwardedTcpip(connectedHost, port, originatorHost, originatorPort);
        try {
            session.getService(ConnectionService.class).registerChannel(channel);
            channel.open().addListener(opened -> {
                if (opened.isOpened()) {
                    Splice.start(channel.stream(), accepted);
                } else {
                    accepted.abort();
                    channel.close(true);
                }
            });
        } catch (IOException | RuntimeException e) {
            accepted.abort();
        }
    }

    private static State state(Session session) {
        synchronized (session) {
            State state = session.getAttribute(STATE);
            if (state == null) {
                State created = new State();
                session.setAttribute(STATE, created);
                session.addCloseFutureListener(f -> {
                    created.listeners.values().forEach(RemoteListener::close);
                    created.listeners.clear();
                });
                state = created;
            }
            return state;
        }
    }

    private static String key(String host, int port) {
        return host + "|" + port;
    }
}
