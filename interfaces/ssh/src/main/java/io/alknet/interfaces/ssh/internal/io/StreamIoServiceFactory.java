package io.alknet.interfaces.ssh.internal.io;

import org.apache.sshd.common.FactoryManager;
import org.apache.sshd.common.io.IoAcceptor;
import org.apache.sshd.common.io.IoConnector;
import org.apache.sshd.common.io.IoHandler;
import org.apache.sshd.common.io.IoServiceEventListener;
import org.apache.sshd.common.io.IoServiceFactory;
import org.apache.sshd.common.io.nio2.Nio2ServiceFactoryFactory;
import org.apache.sshd.common.session.helpers.AbstractSessionFactory;
import org.apache.sshd.common.util.closeable.AbstractCloseable;

import java.util.Objects;

/**
 * Hands MINA stream-backed acceptors and connectors for SSH sessions, and NIO2 ones (created lazily)
 * for everything else MINA opens itself: the listening sockets of {@code tcpip-forward}.
 */
final class StreamIoServiceFactory extends AbstractCloseable implements IoServiceFactory {

    private final FactoryManager manager;
    private IoServiceFactory nio2;
    private IoServiceEventListener eventListener;

    StreamIoServiceFactory(FactoryManager manager) {
        this.manager = Objects.requireNonNull(manager, "manager");
    }

    @Override
    public IoConnector createConnector(IoHandler handler) {
        if (handler instanceof AbstractSessionFactory<?, ?>) {
            return new StreamConnector(handler);
        }
        return nio2().createConnector(handler);
    }

    @Override
    public IoAcceptor createAcceptor(IoHandler handler) {
        if (handler instanceof AbstractSessionFactory<?, ?>) {
            return new StreamAcceptor(handler);
        }
        return nio2().createAcceptor(handler);
    }

    private synchronized IoServiceFactory nio2() {
        if (nio2 == null) {
            nio2 = new Nio2ServiceFactoryFactory().create(manager);
            nio2.setIoServiceEventListener(eventListener);
        }
        return nio2;
    }

    @Override
    public IoServiceEventListener getIoServiceEventListener() {
        return eventListener;
    }

    @Override
    public synchronized void setIoServiceEventListener(IoServiceEventListener listener) {
        eventListener = listener;
        if (nio2 != null) {
            nio2.setIoServiceEventListener(listener);
        }
    }

    @Override
    protected synchronized void doCloseImmediately() {
        if (nio2 != null) {
            nio2.close(true);
        }
        super.doCloseImmediately();
    }
}
