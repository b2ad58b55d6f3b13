package io.alknet.interfaces.ssh.internal.client;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.api.call.ControlChannel;
import io.alknet.api.call.EnvelopeHandler;
import io.alknet.api.call.EnvelopeSender;
import io.alknet.api.interfaces.RemoteForward;
import io.alknet.api.interfaces.TunnelSession;
import io.alknet.api.stream.PeerInfo;
import io.alknet.api.stream.TransportStream;
import io.alknet.call.FramedEnvelopes;
import io.alknet.interfaces.ssh.internal.channel.OpenFailures;
import io.alknet.interfaces.ssh.internal.channel.OutgoingChannel;

import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.channel.exception.SshChannelOpenException;
import org.apache.sshd.common.session.ConnectionService;
import org.apache.sshd.common.util.buffer.Buffer;

import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** An authenticated MINA client session as an alknet {@link TunnelSession}. */
public final class SshTunnelSession implements TunnelSession {

    private static final String TCPIP_FORWARD = "tcpip-forward";

    private final ClientSession session;
    private final PeerInfo peer;
    private final String serverKeyFingerprint;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    SshTunnelSession(ClientSession session, PeerInfo peer, String serverKeyFingerprint) {
        this.session = Objects.requireNonNull(session, "session");
        this.peer = Objects.requireNonNull(peer, "peer");
        this.serverKeyFingerprint = Objects.requireNonNull(serverKeyFingerprint, "serverKeyFingerprint");
        session.addCloseFutureListener(f -> closed.complete(null));
        session.setAttribute(RemoteForwards.KEY, new RemoteForwards());
    }

    @Override
    public PeerInfo peer() {
        return peer;
    }

    @Override
    public String serverKeyFingerprint() {
        return serverKeyFingerprint;
    }

    @Override
    public CompletionStage<TransportStream> openChannel(String host, int port) {
        return open(OutgoingChannel.directTcpip(host, port));
    }

    @Override
    public CompletionStage<TransportStream> openUdpRelay() {
        return open(OutgoingChannel.udpRelay());
    }

    @Override
    public CompletionStage<EnvelopeSender> openCalls(EnvelopeHandler fromServer) {
        return openChannel(ControlChannel.HOST, ControlChannel.PORT).thenApply(stream -> {
            FramedEnvelopes framed = new FramedEnvelopes(stream, ControlChannel.DEFAULT_MAX_FRAME);
            framed.start(fromServer);
            return framed;
        });
    }

    private CompletionStage<TransportStream> open(OutgoingChannel channel) {
        if (!session.isOpen()) {
            return CompletableFuture.failedFuture(new AlknetException(ErrorCode.SESSION_CLOSED, "the session is closed"));
        }
        CompletableFuture<TransportStream> result = new CompletableFuture<>();
        try {
            session.getService(ConnectionService.class).registerChannel(channel);
            channel.open().addListener(opened -> {
                if (opened.isOpened()) {
                    result.complete(channel.stream());
                } else {
                    result.completeExceptionally(openFailure(channel.getChannelType(), opened.getException()));
                    channel.close(true);
                }
            });
        } catch (Exception e) {
            result.completeExceptionally(session.isOpen()
                    ? new AlknetException(ErrorCode.CONNECTION_FAILED, "cannot open a channel: " + e.getMessage())
                    : new AlknetException(ErrorCode.SESSION_CLOSED, "the session is closed"));
        }
        return result;
    }

    private AlknetException openFailure(String type, Throwable error) {
        boolean unknownType = error instanceof SshChannelOpenException open && open.getReasonCode() == SshConstants.SSH_OPEN_UNKNOWN_CHANNEL_TYPE;
        // OpenSSH refuses a channel type it does not know with "connect failed: open failed" (older versions:
        // administratively prohibited), not with UNKNOWN_CHANNEL_TYPE: only an alknet server can know alknet's types
        boolean alknetType = type.endsWith("@alknet.io");
        if (unknownType || (alknetType && error instanceof SshChannelOpenException && !peerIsAlknet())) {
            return new AlknetException(ErrorCode.UNSUPPORTED, "the server does not offer this channel type (an OpenSSH server has no UDP relay)");
        }
        if (error instanceof SshChannelOpenException open) {
            ErrorCode code = OpenFailures.parse(open.getReasonCode(), open.getMessage());
            String message = switch (code) {
                case FORWARD_DENIED -> "the server refused the forward: administratively prohibited: " + open.getMessage();
                case QUOTA_EXCEEDED -> "the server refused the channel: " + open.getMessage();
                default -> "the server could not connect: " + open.getMessage();
            };
            return new AlknetException(code, message);
        }
        if (!session.isOpen()) {
            return new AlknetException(ErrorCode.SESSION_CLOSED, "the session closed");
        }
        return new AlknetException(ErrorCode.CONNECTION_FAILED, "channel open failed: "
                + (error == null ? "unknown reason" : error.getMessage()));
    }

    private boolean peerIsAlknet() {
        String version = session.getServerVersion();
        return version != null && version.startsWith("SSH-2.0-alknet");
    }

    @Override
    public CompletionStage<RemoteForward> requestRemoteForward(String bindHost, int bindPort, RemoteForward.Handler handler) {
        CompletableFuture<RemoteForward> result = new CompletableFuture<>();
        RemoteForwards forwards = session.getAttribute(RemoteForwards.KEY);
        try {
            Buffer request = session.createBuffer(SshConstants.SSH_MSG_GLOBAL_REQUEST);
            request.putString(TCPIP_FORWARD);
            request.putBoolean(true);
            request.putString(bindHost);
            request.putUInt(bindPort);
            session.request(request, TCPIP_FORWARD, (command, reply) -> {
                if (command == SshConstants.SSH_MSG_REQUEST_SUCCESS) {
                    int bound = bindPort == 0 && reply != null && reply.available() >= Integer.BYTES ? reply.getInt() : bindPort;
                    forwards.handlers.put(bound, handler);
                    result.complete(new SshRemoteForward(bindHost, bound, forwards));
                } else {
                    String reason = forwards.takeRefusalReason();
                    result.completeExceptionally(new AlknetException(ErrorCode.FORWARD_DENIED, "the server refused to listen on "
                            + bindHost + ":" + bindPort + ": " + (reason != null ? reason
                            : "no reason given (an OpenSSH server refuses when AllowTcpForwarding or PermitListen forbid it)")));
                }
            });
        } catch (IOException | RuntimeException e) {
            result.completeExceptionally(session.isOpen()
                    ? new AlknetException(ErrorCode.CONNECTION_FAILED, "cannot ask for a remote forward: " + e.getMessage())
                    : new AlknetException(ErrorCode.SESSION_CLOSED, "the session is closed"));
        }
        return result;
    }

    /** A forward the server granted; {@link #cancel()} sends {@code cancel-tcpip-forward}. */
    private final class SshRemoteForward implements RemoteForward {
        private final String bindHost;
        private final int port;
        private final RemoteForwards forwards;

        SshRemoteForward(String bindHost, int port, RemoteForwards forwards) {
            this.bindHost = bindHost;
            this.port = port;
            this.forwards = forwards;
        }

        @Override
        public int boundPort() {
            return port;
        }

        @Override
        public CompletionStage<Void> cancel() {
            forwards.handlers.remove(port);
            CompletableFuture<Void> done = new CompletableFuture<>();
            try {
                Buffer request = session.createBuffer(SshConstants.SSH_MSG_GLOBAL_REQUEST);
                request.putString("cancel-tcpip-forward");
                request.putBoolean(true);
                request.putString(bindHost);
                request.putUInt(port);
                session.request(request, "cancel-tcpip-forward", (command, reply) -> done.complete(null));
            } catch (IOException | RuntimeException e) {
                done.complete(null); // the session is gone, and the forward with it
            }
            return done;
        }
    }

    @Override
    public boolean isOpen() {
        return session.isOpen() && !session.isClosing();
    }

    @Override
    public CompletionStage<Void> closeFuture() {
        return closed;
    }

    @Override
    public void close() {
        if (session.isOpen()) {
            try {
                session.disconnect(SshConstants.SSH2_DISCONNECT_BY_APPLICATION, "shutdown");
            } catch (Exception e) {
                session.close(true);
            }
        }
    }

    /** The MINA session, for tests. */
    ClientSession session() {
        return session;
    }
}
