package io.alknet.ssh.internal.server;

import io.alknet.api.iface.ServerContext;
import io.alknet.api.identity.IdentityResolution;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.server.auth.UserAuth;
import org.apache.sshd.server.auth.UserAuthFactory;
import org.apache.sshd.server.auth.pubkey.UserAuthPublicKey;
import org.apache.sshd.server.session.ServerSession;

import java.io.IOException;

/**
 * MINA's public-key method with alknet's outcome reporting: after MINA checked the signature, a success
 * binds the identity and logs one line; a failure is logged in the fail2ban format and counted, and the
 * connection is dropped once the peer exhausted its attempts. Always synchronous: MINA's asynchronous
 * public-key authentication is never used.
 */
final class LoggingPublicKeyAuth extends UserAuthPublicKey {

    static final UserAuthFactory FACTORY = new UserAuthFactory() {
        @Override
        public String getName() {
            return UserAuthPublicKey.NAME;
        }

        @Override
        public UserAuth createUserAuth(ServerSession session) {
            return new LoggingPublicKeyAuth();
        }
    };

    @Override
    public Boolean doAuth(Buffer buffer, boolean init) throws Exception {
        ServerSession session = getSession();
        ServerContext context = ServerSessions.context(session);
        session.removeAttribute(ServerSessions.LAST_ATTEMPT);
        Boolean result;
        Exception failure = null;
        try {
            result = super.doAuth(buffer, init);
        } catch (Exception e) {
            result = Boolean.FALSE;
            failure = e;
        }
        if (result == null || context == null) {
            return result; // a query answered with PK_OK: nothing decided yet
        }
        AuthAttempt attempt = session.getAttribute(ServerSessions.LAST_ATTEMPT);
        if (result && attempt != null && attempt.resolution() instanceof IdentityResolution.Resolved resolved) {
            session.setAttribute(ServerSessions.IDENTITY, resolved.identity());
            context.authenticated(attempt.credential(), resolved.identity());
            return Boolean.TRUE;
        }
        boolean mayRetry;
        if (attempt == null) {
            mayRetry = context.authenticationFailed(getUsername(), "publickey",
                    failure != null ? "bad_signature" : "invalid_key");
        } else {
            String reason = switch (attempt.resolution()) {
                case IdentityResolution.Rejected rejected -> rejected.reason();
                case IdentityResolution.Unknown unknown -> "unknown_key";
                case IdentityResolution.Resolved resolved -> "bad_signature";
            };
            mayRetry = context.authenticationFailed(attempt.credential(), reason);
        }
        if (!mayRetry) {
            disconnect(session);
        }
        return Boolean.FALSE;
    }

    private static void disconnect(ServerSession session) {
        try {
            session.disconnect(SshConstants.SSH2_DISCONNECT_NO_MORE_AUTH_METHODS_AVAILABLE, "too many authentication failures");
        } catch (IOException e) {
            session.close(true);
        }
    }
}
