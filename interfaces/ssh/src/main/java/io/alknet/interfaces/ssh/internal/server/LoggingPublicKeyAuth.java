package io.alknet.interfaces.ssh.internal.server;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.api.interfaces.ServerContext;
import io.alknet.api.identity.Credential;
import io.alknet.api.identity.IdentityResolution;
import io.alknet.interfaces.ssh.internal.io.StreamIoSession;
import org.apache.sshd.common.config.keys.OpenSshCertificate;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.server.auth.UserAuth;
import org.apache.sshd.server.auth.UserAuthFactory;
import org.apache.sshd.server.auth.pubkey.UserAuthPublicKey;
import org.apache.sshd.server.session.ServerSession;

import java.io.IOException;
import java.security.PublicKey;

/**
 * MINA's public-key method with alknet's outcome reporting: after MINA checked the signature, a success
 * binds the identity and logs one line; a failed signed attempt is logged in the fail2ban format and counted;
 * a refused query (a key offered without a signature) is counted and left to the kernel, which logs it only
 * if the connection never logs in. The connection is dropped once the peer exhausted its attempts. Always
 * synchronous: MINA's asynchronous public-key authentication is never used.
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
        // RFC 4252 7: FALSE here is a query ("would you accept this key?"), TRUE a signed login attempt
        boolean signed = buffer.available() > 0 && buffer.array()[buffer.rpos()] != 0;
        Boolean result;
        Exception failure = null;
        Credential certificate = context == null ? null : peekCertificate(buffer, session);
        IdentityResolution precheck = certificate == null ? null : context.resolve(certificate);
        if (precheck != null && !(precheck instanceof IdentityResolution.Resolved)) {
            // MINA would refuse an expired or foreign-sourced certificate itself, before asking us, with
            // no reason we could log: decide here so the log says exactly why.
            session.setAttribute(ServerSessions.LAST_ATTEMPT, new AuthAttempt(certificate, precheck));
            result = Boolean.FALSE;
        } else {
            try {
                result = super.doAuth(buffer, init);
            } catch (Exception e) {
                result = Boolean.FALSE;
                failure = e;
            }
        }
        if (result == null || context == null) {
            return result; // a query answered with PK_OK: nothing decided yet
        }
        AuthAttempt attempt = session.getAttribute(ServerSessions.LAST_ATTEMPT);
        if (result && attempt != null && attempt.resolution() instanceof IdentityResolution.Resolved resolved) {
            try {
                context.authenticated(attempt.credential(), resolved.identity());
            } catch (AlknetException e) {
                if (e.code() != ErrorCode.QUOTA_EXCEEDED) {
                    throw e;
                }
                // the key is good but its identity has all the sessions it may: say so, as sshd's MaxSessions would
                session.disconnect(SshConstants.SSH2_DISCONNECT_TOO_MANY_CONNECTIONS, e.getMessage());
                return Boolean.FALSE;
            }
            session.setAttribute(ServerSessions.IDENTITY, resolved.identity());
            return Boolean.TRUE;
        }
        // A refused query is not yet a failed login (clients offer every key they hold, OpenSSH a
        // certificate's plain key first): the kernel logs it only if the connection never logs in.
        boolean mayRetry;
        if (attempt == null) {
            String reason = failure != null ? "bad_signature" : "invalid_key";
            mayRetry = signed ? context.authenticationFailed(getUsername(), "publickey", reason)
                    : context.queryRefused(getUsername(), "publickey", reason);
        } else {
            String reason = switch (attempt.resolution()) {
                case IdentityResolution.Rejected rejected -> rejected.reason();
                case IdentityResolution.Unknown unknown -> "unknown_key";
                case IdentityResolution.Resolved resolved -> "bad_signature";
            };
            mayRetry = signed ? context.authenticationFailed(attempt.credential(), reason)
                    : context.queryRefused(attempt.credential(), reason);
        }
        if (!mayRetry) {
            disconnect(session);
        }
        return Boolean.FALSE;
    }

    /** The certificate this request offers, or null when it offers a plain key (or cannot be parsed). */
    private Credential peekCertificate(Buffer buffer, ServerSession session) {
        if (!(session.getIoSession() instanceof StreamIoSession ioSession)) {
            return null;
        }
        try {
            Buffer copy = new ByteArrayBuffer(buffer.array(), buffer.rpos(), buffer.available());
            copy.getBoolean();
            copy.getString();
            PublicKey key = copy.getPublicKey();
            return key instanceof OpenSshCertificate ? Credentials.of(key, getUsername(), ioSession.peer()) : null;
        } catch (RuntimeException | IOException e) {
            return null; // MINA's own parsing reports it
        }
    }

    private static void disconnect(ServerSession session) {
        try {
            session.disconnect(SshConstants.SSH2_DISCONNECT_NO_MORE_AUTH_METHODS_AVAILABLE, "too many authentication failures");
        } catch (IOException e) {
            session.close(true);
        }
    }
}
