package io.alknet.ssh.internal.server;

import org.apache.sshd.common.forward.DefaultForwarder;
import org.apache.sshd.common.forward.Forwarder;
import org.apache.sshd.common.forward.ForwarderFactory;
import org.apache.sshd.common.session.ConnectionService;
import org.apache.sshd.common.util.net.SshdSocketAddress;

import java.io.IOException;
import java.util.Set;

/**
 * Remote forwards bind to loopback unless {@code gateway-ports} is on, as OpenSSH does with
 * {@code GatewayPorts no}: a client asking for the wildcard address gets {@code 127.0.0.1}.
 */
final class LoopbackForwarderFactory implements ForwarderFactory {

    private static final Set<String> WILDCARDS = Set.of("", "*", "0.0.0.0", "::");

    private final boolean gatewayPorts;

    LoopbackForwarderFactory(boolean gatewayPorts) {
        this.gatewayPorts = gatewayPorts;
    }

    @Override
    public Forwarder create(ConnectionService service) {
        return new DefaultForwarder(service) {
            @Override
            public synchronized SshdSocketAddress localPortForwardingRequested(SshdSocketAddress local) throws IOException {
                if (!gatewayPorts && WILDCARDS.contains(local.getHostName())) {
                    local = new SshdSocketAddress("127.0.0.1", local.getPort());
                }
                try {
                    return super.localPortForwardingRequested(local);
                } catch (IOException e) {
                    RefusalReasons.explain(getSession(), "cannot listen: " + e.getMessage());
                    throw e;
                }
            }
        };
    }
}
