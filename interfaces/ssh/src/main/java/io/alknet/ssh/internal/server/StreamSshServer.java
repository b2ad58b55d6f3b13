package io.alknet.ssh.internal.server;

import io.alknet.ssh.internal.io.StreamAcceptor;
import org.apache.sshd.server.SshServer;

/**
 * MINA's server without a listening socket: the kernel owns the transport listeners and hands each
 * accepted stream to the {@link StreamAcceptor} this server returns from {@link #startOnStreams()}.
 */
final class StreamSshServer extends SshServer {

    StreamAcceptor startOnStreams() {
        checkConfig();
        if (getSessionFactory() == null) {
            setSessionFactory(createSessionFactory());
        }
        acceptor = createAcceptor();
        setupSessionTimeout(getSessionFactory());
        return (StreamAcceptor) acceptor;
    }
}
