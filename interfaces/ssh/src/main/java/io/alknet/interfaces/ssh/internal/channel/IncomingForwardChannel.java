package io.alknet.interfaces.ssh.internal.channel;

import io.alknet.api.interfaces.RemoteForward;
import io.alknet.api.stream.PeerInfo;
import io.alknet.api.transport.SecurityLevel;
import org.apache.sshd.client.future.DefaultOpenFuture;
import org.apache.sshd.client.future.OpenFuture;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.channel.exception.SshChannelOpenException;
import org.apache.sshd.common.util.buffer.Buffer;

import java.util.function.IntFunction;

/**
 * The client side of a {@code forwarded-tcpip} channel: a connection the server accepted on one of our
 * remote forwards. It is handed, as a stream, to the forward's handler, which connects it locally.
 */
public final class IncomingForwardChannel extends StreamServerChannel {

    private final IntFunction<RemoteForward.Handler> handlers;

    /** @param handlers the handler of the forward bound on a port, or {@code null} if none */
    public IncomingForwardChannel(IntFunction<RemoteForward.Handler> handlers) {
        super("forwarded-tcpip");
        this.handlers = handlers;
    }

    @Override
    protected OpenFuture doInit(Buffer buffer) {
        buffer.getString(); // the address the server listens on, as we asked for it
        int boundPort = buffer.getInt();
        String originatorHost = buffer.getString();
        int originatorPort = buffer.getInt();
        OpenFuture opened = new DefaultOpenFuture(this, futureLock);
        RemoteForward.Handler handler = handlers.apply(boundPort);
        if (handler == null) {
            opened.setException(new SshChannelOpenException(getChannelId(), SshConstants.SSH_OPEN_ADMINISTRATIVELY_PROHIBITED,
                    "no remote forward on that port"));
            close(true);
            return opened;
        }
        stream = new ChannelStream(this, this::sendEof, this::sendWindowAdjust, PeerInfo.socket("ssh", SecurityLevel.TLS_EQUIVALENT, null, null));
        stream.outputReady();
        signalChannelOpenSuccess();
        opened.setOpened();
        handler.incoming(stream, originatorHost, originatorPort);
        return opened;
    }

}
