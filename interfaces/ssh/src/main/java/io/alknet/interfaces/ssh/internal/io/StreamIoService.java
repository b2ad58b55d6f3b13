package io.alknet.interfaces.ssh.internal.io;

import org.apache.sshd.common.io.IoHandler;
import org.apache.sshd.common.io.IoService;
import org.apache.sshd.common.io.IoServiceEventListener;
import org.apache.sshd.common.io.IoSession;
import org.apache.sshd.common.util.closeable.AbstractCloseable;

import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** What the stream acceptor and connector share: the managed sessions of one MINA handler. */
abstract class StreamIoService extends AbstractCloseable implements IoService {

    private static final AtomicLong SESSION_IDS = new AtomicLong();

    protected final IoHandler handler;
    private final Map<Long, IoSession> sessions = new ConcurrentHashMap<>();
    private volatile IoServiceEventListener eventListener;

    StreamIoService(IoHandler handler) {
        this.handler = handler;
    }

    protected StreamIoSession newSession(io.alknet.api.stream.TransportStream stream, SocketAddress acceptanceAddress) {
        return new StreamIoSession(SESSION_IDS.incrementAndGet(), this, handler, stream, acceptanceAddress);
    }

    void register(StreamIoSession session) {
        sessions.put(session.getId(), session);
    }

    void unregister(StreamIoSession session) {
        sessions.remove(session.getId());
    }

    @Override
    public Map<Long, IoSession> getManagedSessions() {
        return Map.copyOf(sessions);
    }

    @Override
    public IoServiceEventListener getIoServiceEventListener() {
        return eventListener;
    }

    @Override
    public void setIoServiceEventListener(IoServiceEventListener listener) {
        eventListener = listener;
    }

    @Override
    protected void doCloseImmediately() {
        for (IoSession session : sessions.values()) {
            session.close(true);
        }
        sessions.clear();
        super.doCloseImmediately();
    }
}
