package io.alknet.interfaces.ssh.internal.io;

import io.alknet.api.stream.TransportStream;
import org.apache.sshd.common.io.IoAcceptor;
import org.apache.sshd.common.io.IoHandler;

import java.net.SocketAddress;
import java.util.Collection;
import java.util.Map;
import java.util.Set;

/**
 * The SSH server's acceptor: it binds nothing. The kernel accepts transport streams and hands them in
 * through {@link #accept}.
 */
public final class StreamAcceptor extends StreamIoService implements IoAcceptor {

    StreamAcceptor(IoHandler handler) {
        super(handler);
    }

    /**
     * Starts a server session on {@code stream}.
     *
     * @param attributes set on the I/O session before MINA creates its SSH session
     */
    public StreamIoSession accept(TransportStream stream, Map<Object, Object> attributes) throws Exception {
        StreamIoSession session = newSession(stream, stream.peer().localAddress().orElse(null));
        attributes.forEach(session::setAttribute);
        session.begin();
        return session;
    }

    @Override
    public void bind(Collection<? extends SocketAddress> addresses) {
        // transport listeners belong to the kernel
    }

    @Override
    public void bind(SocketAddress address) {
        // transport listeners belong to the kernel
    }

    @Override
    public void unbind(Collection<? extends SocketAddress> addresses) {
    }

    @Override
    public void unbind(SocketAddress address) {
    }

    @Override
    public void unbind() {
    }

    @Override
    public Set<SocketAddress> getBoundAddresses() {
        return Set.of();
    }
}
