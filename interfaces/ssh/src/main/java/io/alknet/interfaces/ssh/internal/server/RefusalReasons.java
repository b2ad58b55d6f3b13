package io.alknet.interfaces.ssh.internal.server;

import org.apache.sshd.common.session.Session;

import java.io.IOException;

/**
 * Tells a client why its {@code tcpip-forward} was refused, in an {@code SSH_MSG_DEBUG} sent just
 * before the failure reply (which carries no text). OpenSSH clients show it with {@code -v}; alknet
 * clients put it in their error message.
 */
final class RefusalReasons {

    private RefusalReasons() {
    }

    static void explain(Session session, String reason) {
        try {
            session.sendDebugMessage(false, "tcpip-forward refused: " + reason, "");
        } catch (IOException | RuntimeException ignored) {
            // the refusal itself still goes out
        }
    }
}
