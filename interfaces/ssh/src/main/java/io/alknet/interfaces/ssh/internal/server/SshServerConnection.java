package io.alknet.interfaces.ssh.internal.server;

import io.alknet.api.Identity;
import io.alknet.api.interfaces.ServerConnection;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.session.ConnectionService;
import org.apache.sshd.common.session.helpers.AbstractConnectionService;
import org.apache.sshd.server.session.ServerSession;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/** The kernel's handle on one MINA server session. */
public final class SshServerConnection implements ServerConnection {

    private final ServerSession session;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    public SshServerConnection(ServerSession session) {
        this.session = Objects.requireNonNull(session, "session");
        session.addCloseFutureListener(f -> closed.complete(null));
    }

    @Override
    public Optional<Identity> identity() {
        return ServerSessions.identity(session);
    }

    @Override
    public CompletionStage<Void> close(Duration grace) {
        if (!session.isOpen()) {
            return closed;
        }
        drainThenDisconnect(System.nanoTime() + grace.toNanos());
        return closed;
    }

    /** Waits (without blocking a thread) until the session has no open channel or the grace ran out. */
    private void drainThenDisconnect(long deadline) {
        if (!session.isOpen()) {
            return;
        }
        if (openChannels() == 0 || System.nanoTime() >= deadline) {
            try {
                session.disconnect(SshConstants.SSH2_DISCONNECT_BY_APPLICATION, "shutdown");
            } catch (Exception e) {
                session.close(true);
            }
            CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS).execute(() -> session.close(true));
            return;
        }
        CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS).execute(() -> drainThenDisconnect(deadline));
    }

    private int openChannels() {
        try {
            ConnectionService service = session.getService(ConnectionService.class);
            return service instanceof AbstractConnectionService connections ? connections.getChannels().size() : 0;
        } catch (IllegalStateException notAuthenticatedYet) {
            return 0; // still in key exchange or authentication: no channels
        }
    }

    @Override
    public CompletionStage<Void> closeFuture() {
        return closed;
    }
}
