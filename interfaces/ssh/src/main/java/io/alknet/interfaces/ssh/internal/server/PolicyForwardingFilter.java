package io.alknet.interfaces.ssh.internal.server;

import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.server.forward.ForwardingFilter;

/**
 * MINA's own forwarding is never used: {@code direct-tcpip} and {@code tcpip-forward} are served by
 * alknet's channel and request handler (policy-gated, with half-close), and agent and X11 forwarding are
 * refused. This filter makes sure MINA's paths stay closed.
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
        return false; // remote forwards are served by RemoteForwardRequests, never by MINA's forwarder
    }

    @Override
    public boolean canConnect(Type type, SshdSocketAddress address, Session session) {
        return false;
    }
}
