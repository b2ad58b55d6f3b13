package io.alknet.interfaces.ssh.internal.server;

import org.apache.sshd.common.Service;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.io.IoWriteFuture;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.server.session.AbstractServerSession;
import org.apache.sshd.server.session.ServerConnectionService;
import org.apache.sshd.server.session.ServerConnectionServiceFactory;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * MINA's connection service, but a refused channel carries alknet's description ("connection
 * refused", "administratively prohibited: …") instead of MINA's generic text, so clients can tell
 * the user (and SOCKS clients) exactly why. Descriptions never name the destination.
 */
public final class ExplainingConnectionService extends ServerConnectionService {

    /** Installs this service in a server. */
    public static final ServerConnectionServiceFactory FACTORY = new ServerConnectionServiceFactory() {
        @Override
        public Service create(Session session) throws IOException {
            ExplainingConnectionService service = new ExplainingConnectionService((AbstractServerSession) session);
            service.addPortForwardingEventListenerManager(this);
            return service;
        }
    };

    private final Map<Long, String> descriptions = new ConcurrentHashMap<>();

    private ExplainingConnectionService(AbstractServerSession session) throws IOException {
        super(session);
    }

    /** Records why the channel opened by the peer's channel {@code recipient} is refused. */
    public void explainRefusal(long recipient, String description) {
        descriptions.put(recipient, description);
    }

    @Override
    protected IoWriteFuture sendChannelOpenFailure(Buffer buffer, long sender, int reasonCode, String message, String lang)
            throws IOException {
        String description = descriptions.remove(sender);
        return super.sendChannelOpenFailure(buffer, sender, reasonCode, description != null ? description : message, lang);
    }
}
