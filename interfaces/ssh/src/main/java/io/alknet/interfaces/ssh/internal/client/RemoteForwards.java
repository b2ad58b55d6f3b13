package io.alknet.interfaces.ssh.internal.client;

import io.alknet.api.interfaces.RemoteForward;
import io.alknet.interfaces.ssh.internal.channel.IncomingForwardChannel;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.channel.Channel;
import org.apache.sshd.common.channel.ChannelFactory;
import org.apache.sshd.common.session.ReservedSessionMessagesHandler;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.buffer.Buffer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The remote forwards of one client session (by the port the server bound), and the reason the server
 * gave for its last refusal. alknet servers explain a refused {@code tcpip-forward} in an
 * {@code SSH_MSG_DEBUG} sent right before the failure (the protocol's failure reply carries no text).
 */
final class RemoteForwards {

    static final AttributeRepository.AttributeKey<RemoteForwards> KEY = new AttributeRepository.AttributeKey<>();

    /** Accepts {@code forwarded-tcpip} channels for the forwards of their session. */
    static final ChannelFactory CHANNELS = new ChannelFactory() {
        @Override
        public String getName() {
            return "forwarded-tcpip";
        }

        @Override
        public Channel createChannel(Session session) {
            RemoteForwards forwards = session.getAttribute(KEY);
            return new IncomingForwardChannel(port -> forwards == null ? null : forwards.handlers.get(port));
        }
    };

    /** Keeps the text of the server's debug messages for the next refusal. */
    static final ReservedSessionMessagesHandler DEBUG_MESSAGES = new ReservedSessionMessagesHandler() {
        @Override
        public void handleDebugMessage(Session session, Buffer buffer) {
            buffer.getBoolean();
            String message = buffer.getString();
            RemoteForwards forwards = session.getAttribute(KEY);
            if (forwards != null) {
                forwards.lastDebugMessage = message;
            }
        }
    };

    final Map<Integer, RemoteForward.Handler> handlers = new ConcurrentHashMap<>();
    volatile String lastDebugMessage;

    /** The server's explanation of the refusal just received, if it gave one. */
    String takeRefusalReason() {
        String message = lastDebugMessage;
        lastDebugMessage = null;
        if (message != null && message.startsWith("tcpip-forward refused: ")) {
            return message.substring("tcpip-forward refused: ".length());
        }
        return null;
    }
}
