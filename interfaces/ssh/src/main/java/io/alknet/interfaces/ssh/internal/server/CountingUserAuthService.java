package io.alknet.interfaces.ssh.internal.server;

import io.alknet.api.interfaces.ServerContext;
import org.apache.sshd.common.Service;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.apache.sshd.server.auth.pubkey.UserAuthPublicKey;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.server.session.ServerUserAuthService;
import org.apache.sshd.server.session.ServerUserAuthServiceFactory;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * MINA's user-auth service, but a request for a method alknet does not offer (password and
 * keyboard-interactive above all, which password-guessing bots send without asking) is a failed login:
 * logged in the fail2ban format, counted against the connection's attempts and its source's penalty, and
 * answered with the usual failure listing {@code publickey}, as OpenSSH's sshd counts a password attempt
 * when password authentication is off. The password itself is never read.
 */
final class CountingUserAuthService extends ServerUserAuthService {

    /** Installs this service in a server. */
    static final ServerUserAuthServiceFactory FACTORY = new ServerUserAuthServiceFactory() {
        @Override
        public Service create(Session session) throws IOException {
            return new CountingUserAuthService(session);
        }
    };

    private CountingUserAuthService(Session session) throws IOException {
        super(session);
    }

    @Override
    protected boolean handleUserAuthRequestMessage(ServerSession session, Buffer buffer, AtomicReference<Boolean> authHolder)
            throws Exception {
        ServerContext context = ServerSessions.context(session);
        if (session.isAuthenticated() || context == null) {
            return super.handleUserAuthRequestMessage(session, buffer, authHolder);
        }
        Buffer request = new ByteArrayBuffer(buffer.array(), buffer.rpos(), buffer.available());
        String user = request.getString();
        request.getString(); // the service
        String method = request.getString();
        if (method.equals("none") || method.equals(UserAuthPublicKey.NAME)) {
            return super.handleUserAuthRequestMessage(session, buffer, authHolder);
        }
        // a method name is the client's text: only the two well-known ones are logged as they are
        String logged = method.equals("password") || method.equals("keyboard-interactive") ? method : "other";
        if (!context.authenticationFailed(user, logged, "method_not_allowed")) {
            try {
                session.disconnect(SshConstants.SSH2_DISCONNECT_NO_MORE_AUTH_METHODS_AVAILABLE, "too many authentication failures");
            } catch (IOException e) {
                session.close(true);
            }
            return false;
        }
        authHolder.set(Boolean.FALSE); // MINA answers with the failure, listing publickey only
        return true;
    }
}
