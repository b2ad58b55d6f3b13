package io.alknet.interfaces.ssh.internal.server;

import io.alknet.api.interfaces.ServerContext;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.SshException;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;

import java.io.StreamCorruptedException;

/**
 * Tells the kernel when a peer breaks the protocol before logging in (MINA closes the session itself), so the
 * refusal gets one audit line with a stable reason instead of only MINA's own warnings. Errors of a logged-in
 * session and plain I/O failures (a reset) are not protocol errors.
 */
final class ProtocolErrors implements SessionListener {

    static final ProtocolErrors INSTANCE = new ProtocolErrors();

    private ProtocolErrors() {
    }

    @Override
    public void sessionException(Session session, Throwable error) {
        if (ServerSessions.identity(session).isPresent()) {
            return;
        }
        String reason = reason(error);
        ServerContext context = ServerSessions.context(session);
        if (reason != null && context != null) {
            context.protocolError(reason);
        }
    }

    /** The stable reason code of {@code error}, or {@code null} when it is not a protocol error. */
    static String reason(Throwable error) {
        if (error instanceof StreamCorruptedException) {
            return "bad_identification"; // a line MINA cannot read as an identification (NUL, no CR LF, too long)
        }
        if (!(error instanceof SshException ssh)) {
            return null;
        }
        return switch (ssh.getDisconnectCode()) {
            case SshConstants.SSH2_DISCONNECT_PROTOCOL_VERSION_NOT_SUPPORTED -> "unsupported_version";
            case SshConstants.SSH2_DISCONNECT_MAC_ERROR -> "bad_mac";
            case SshConstants.SSH2_DISCONNECT_KEY_EXCHANGE_FAILED -> "kex_failed";
            case SshConstants.SSH2_DISCONNECT_PROTOCOL_ERROR -> "protocol_error";
            default -> null; // timeouts, too many auth attempts and the like are reported elsewhere
        };
    }
}
