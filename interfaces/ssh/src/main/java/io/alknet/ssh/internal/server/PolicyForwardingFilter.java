package io.alknet.ssh.internal.server;

import io.alknet.api.Identity;
import io.alknet.api.iface.ServerContext;
import io.alknet.api.policy.PolicyDecision;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.server.forward.ForwardingFilter;

import java.util.Optional;

/**
 * MINA's forwarding hooks answered by alknet's policy: remote listens ({@code tcpip-forward}) go to the
 * kernel's forwarding policy; agent and X11 forwarding are always refused. {@code direct-tcpip} never
 * reaches MINA's own channel (alknet's channel factory handles it), so {@code canConnect} refuses.
 */
final class PolicyForwardingFilter implements ForwardingFilter {

    static final PolicyForwardingFilter INSTANCE = new PolicyForwardingFilter();

    @Override
    public boolean canForwardAgent(Session session, String requestType) {
        return false;
    }

    @Override
    public boolean canForwardX11(Session session, String requestType) {
        return false;
    }

    @Override
    public boolean canListen(SshdSocketAddress address, Session session) {
        ServerContext context = ServerSessions.context(session);
        Optional<Identity> identity = ServerSessions.identity(session);
        if (context == null || identity.isEmpty()) {
            return false;
        }
        PolicyDecision decision = context.checkRemoteListen(identity.get(), address.getHostName(), address.getPort());
        if (!decision.allowed()) {
            // The protocol's failure reply has no text; alknet clients read the reason from this debug message.
            RefusalReasons.explain(session, "administratively prohibited: " + decision.reason());
        }
        return decision.allowed();
    }

    @Override
    public boolean canConnect(Type type, SshdSocketAddress address, Session session) {
        return false;
    }
}
