package io.alknet.interfaces.ssh.internal.server;

import io.alknet.api.interfaces.ServerContext;
import io.alknet.api.identity.Credential;
import io.alknet.api.identity.IdentityResolution;
import io.alknet.interfaces.ssh.internal.io.StreamIoSession;
import org.apache.sshd.server.auth.pubkey.PublickeyAuthenticator;
import org.apache.sshd.server.session.ServerSession;

import java.security.PublicKey;

/**
 * Asks the kernel's identity chain whether a key is known. MINA calls this both for a key offered
 * without a signature (the query) and for the signed request; the outcome is recorded for
 * {@link LoggingPublicKeyAuth}, which logs the final result once the signature was checked.
 */
final class IdentityAuthenticator implements PublickeyAuthenticator {

    @Override
    public boolean authenticate(String username, PublicKey key, ServerSession session) {
        ServerContext context = ServerSessions.context(session);
        if (context == null || !(session.getIoSession() instanceof StreamIoSession ioSession)) {
            return false;
        }
        Credential credential = Credentials.of(key, username, ioSession.peer());
        IdentityResolution resolution = context.resolve(credential);
        session.setAttribute(ServerSessions.LAST_ATTEMPT, new AuthAttempt(credential, resolution));
        return resolution instanceof IdentityResolution.Resolved;
    }
}
