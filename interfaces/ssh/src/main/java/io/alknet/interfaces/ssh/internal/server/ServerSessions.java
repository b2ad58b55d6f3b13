package io.alknet.interfaces.ssh.internal.server;

import io.alknet.api.Identity;
import io.alknet.api.interfaces.ServerContext;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.session.Session;

import java.util.Optional;

/** The alknet state attached to a MINA server session. */
public final class ServerSessions {

    /** Set on the I/O session before MINA creates the SSH session. */
    public static final Object CONTEXT_KEY = ServerContext.class;

    static final AttributeRepository.AttributeKey<Identity> IDENTITY = new AttributeRepository.AttributeKey<>();
    static final AttributeRepository.AttributeKey<AuthAttempt> LAST_ATTEMPT = new AttributeRepository.AttributeKey<>();

    private ServerSessions() {
    }

    /** The kernel context of the connection, or {@code null} outside alknet. */
    public static ServerContext context(Session session) {
        Object context = session.getIoSession().getAttribute(CONTEXT_KEY);
        return context instanceof ServerContext serverContext ? serverContext : null;
    }

    /** The authenticated identity, once authentication succeeded. */
    public static Optional<Identity> identity(Session session) {
        return Optional.ofNullable(session.getAttribute(IDENTITY));
    }
}
