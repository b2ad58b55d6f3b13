package io.alknet.interfaces.ssh.internal.io;

import io.alknet.api.stream.TransportStream;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.io.DefaultIoConnectFuture;
import org.apache.sshd.common.io.IoConnectFuture;
import org.apache.sshd.common.io.IoConnector;
import org.apache.sshd.common.io.IoHandler;

import java.io.IOException;
import java.net.SocketAddress;

/**
 * The SSH client's connector: it dials nothing. The already connected transport stream travels in the
 * connect context under {@link #STREAM}.
 */
public final class StreamConnector extends StreamIoService implements IoConnector {

    /** The context attribute carrying the {@link TransportStream} to run the session on. */
    public static final AttributeRepository.AttributeKey<TransportStream> STREAM = new AttributeRepository.AttributeKey<>();

    StreamConnector(IoHandler handler) {
        super(handler);
    }

    @Override
    public IoConnectFuture connect(SocketAddress targetAddress, AttributeRepository context, SocketAddress localAddress) {
        IoConnectFuture future = new DefaultIoConnectFuture(targetAddress, null);
        TransportStream stream = context == null ? null : context.getAttribute(STREAM);
        if (stream == null) {
            future.setException(new IOException("no transport stream in the connect context"));
            return future;
        }
        try {
            StreamIoSession session = newSession(stream, null);
            if (context != null) {
                session.setAttribute(AttributeRepository.class, context);
            }
            session.begin();
            future.setSession(session);
        } catch (Throwable e) {
            stream.abort();
            future.setException(e);
        }
        return future;
    }
}
