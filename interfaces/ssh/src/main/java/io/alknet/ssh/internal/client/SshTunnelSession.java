package io.alknet.ssh.internal.client;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.api.iface.RemoteForward;
import io.alknet.api.iface.TunnelSession;
import io.alknet.api.stream.PeerInfo;
import io.alknet.api.stream.TransportStream;
import io.alknet.ssh.internal.channel.ClientTunnelChannel;
import io.alknet.ssh.internal.channel.OpenFailures;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.channel.exception.SshChannelOpenException;
import org.apache.sshd.common.session.ConnectionService;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** An authenticated MINA client session as an alknet {@link TunnelSession}. */
public final class SshTunnelSession implements TunnelSession {

    private final ClientSession session;
    private final PeerInfo peer;
    private final String serverKeyFingerprint;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    SshTunnelSession(ClientSession session, PeerInfo peer, String serverKeyFingerprint) {
        this.session = Objects.requireNonNull(session, "session");
        this.peer = Objects.requireNonNull(peer, "peer");
        this.serverKeyFingerprint = Objects.requireNonNull(serverKeyFingerprint, "serverKeyFingerprint");
        session.addCloseFutureListener(f -> closed.complete(null));
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
        if (!session.isOpen()) {
            return CompletableFuture.failedFuture(new AlknetException(ErrorCode.SESSION_CLOSED, "the session is closed"));
        }
        CompletableFuture<TransportStream> result = new CompletableFuture<>();
        try {
            ClientTunnelChannel channel = new ClientTunnelChannel(host, port);
            session.getService(ConnectionService.class).registerChannel(channel);
            channel.open().addListener(opened -> {
                if (opened.isOpened()) {
                    result.complete(channel.stream());
                } else {
                    result.completeExceptionally(openFailure(opened.getException()));
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

    private AlknetException openFailure(Throwable error) {
        if (error instanceof SshChannelOpenException open) {
            ErrorCode code = OpenFailures.parse(open.getReasonCode(), open.getMessage());
            String message = open.getReasonCode() == SshConstants.SSH_OPEN_ADMINISTRATIVELY_PROHIBITED
                    ? "the server refused the forward: " + open.getMessage()
                    : "the server could not connect: " + open.getMessage();
            return new AlknetException(code, message);
        }
        if (!session.isOpen()) {
            return new AlknetException(ErrorCode.SESSION_CLOSED, "the session closed");
        }
        return new AlknetException(ErrorCode.CONNECTION_FAILED, "channel open failed: "
                + (error == null ? "unknown reason" : error.getMessage()));
    }

    @Override
    public CompletionStage<RemoteForward> requestRemoteForward(String bindHost, int bindPort, RemoteForward.Handler handler) {
        return CompletableFuture.failedFuture(new AlknetException(ErrorCode.UNSUPPORTED, "remote forwards are not supported yet"));
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
