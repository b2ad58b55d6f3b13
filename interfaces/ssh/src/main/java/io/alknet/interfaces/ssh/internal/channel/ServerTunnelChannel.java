package io.alknet.interfaces.ssh.internal.channel;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.api.Identity;
import io.alknet.api.call.ControlChannel;
import io.alknet.api.call.EnvelopeHandler;
import io.alknet.api.interfaces.ServerContext;
import io.alknet.api.stream.PeerInfo;
import io.alknet.api.stream.Splice;
import io.alknet.api.stream.TransportStream;
import io.alknet.api.transport.SecurityLevel;
import io.alknet.call.FramedEnvelopes;
import io.alknet.interfaces.ssh.internal.server.ExplainingConnectionService;
import io.alknet.interfaces.ssh.internal.server.ServerSessions;

import org.apache.sshd.client.future.DefaultOpenFuture;
import org.apache.sshd.client.future.OpenFuture;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.channel.exception.SshChannelOpenException;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.buffer.Buffer;

import java.util.Optional;

/**
 * The server side of a {@code direct-tcpip} channel. The target is dialled (through the kernel, which
 * applies the forwarding policy) <em>before</em> the channel is confirmed, so an unreachable or denied
 * target is a channel-open failure the client can report precisely.
 */
public final class ServerTunnelChannel extends StreamServerChannel {


    public ServerTunnelChannel() {
        super("direct-tcpip");
    }

    @Override
    protected OpenFuture doInit(Buffer buffer) {
        String host = buffer.getString();
        int port = buffer.getInt();
        buffer.getString(); // originator address: informational only
        buffer.getInt(); // originator port
        OpenFuture opened = new DefaultOpenFuture(this, futureLock);
        Session session = getSession();
        ServerContext context = ServerSessions.context(session);
        Optional<Identity> identity = ServerSessions.identity(session);
        if (context == null || identity.isEmpty()) {
            fail(opened, SshConstants.SSH_OPEN_ADMINISTRATIVELY_PROHIBITED, "not authenticated");
            return opened;
        }
        if (ControlChannel.isReserved(host)) {
            if (host.equals(ControlChannel.HOST) && port == ControlChannel.PORT) {
                controlChannel(opened, context, identity.get());
            } else {
                fail(opened, SshConstants.SSH_OPEN_ADMINISTRATIVELY_PROHIBITED, "alknet-* names are reserved for the control channel");
            }
            return opened;
        }
        if (port < 0 || port > 65535 || host.isEmpty()) {
            fail(opened, SshConstants.SSH_OPEN_CONNECT_FAILED, "invalid target");
            return opened;
        }
        context.openTarget(identity.get(), host, port).whenComplete((target, error) -> {
            if (error != null) {
                ErrorCode code = AlknetException.codeOf(error, ErrorCode.CONNECTION_FAILED);
                int reason = switch (code) {
                    case FORWARD_DENIED -> SshConstants.SSH_OPEN_ADMINISTRATIVELY_PROHIBITED;
                    case QUOTA_EXCEEDED -> SshConstants.SSH_OPEN_RESOURCE_SHORTAGE;
                    default -> SshConstants.SSH_OPEN_CONNECT_FAILED;
                };
                fail(opened, reason, OpenFailures.describe(code, error));
                return;
            }
            connected(opened, target);
        });
        return opened;
    }

    /**
     * The reserved {@code alknet-control:0}: instead of dialling, the channel carries the call protocol
     * (length-prefixed JSON envelopes) to the kernel, if the forwarding policy lets this identity in.
     */
    private void controlChannel(OpenFuture opened, ServerContext context, Identity identity) {
        stream = new ChannelStream(this, this::sendEof, this::sendWindowAdjust, PeerInfo.socket("ssh", SecurityLevel.TLS_EQUIVALENT, null, null));
        FramedEnvelopes framed = new FramedEnvelopes(stream, ControlChannel.DEFAULT_MAX_FRAME);
        EnvelopeHandler handler;
        try {
            handler = context.openCalls(identity, framed);
        } catch (AlknetException e) {
            stream = null;
            fail(opened, e.code() == ErrorCode.FORWARD_DENIED ? SshConstants.SSH_OPEN_ADMINISTRATIVELY_PROHIBITED
                    : SshConstants.SSH_OPEN_CONNECT_FAILED, OpenFailures.describe(e.code(), e));
            return;
        }
        stream.outputReady();
        try {
            signalChannelOpenSuccess();
            opened.setOpened();
        } catch (RuntimeException e) {
            handler.onClosed();
            opened.setException(e);
            return;
        }
        framed.start(handler);
    }

    private void connected(OpenFuture opened, TransportStream target) {
        if (isClosing()) {
            target.abort();
            opened.setException(new SshChannelOpenException(getChannelId(), SshConstants.SSH_OPEN_CONNECT_FAILED, "channel closed"));
            return;
        }
        stream = new ChannelStream(this, this::sendEof, this::sendWindowAdjust, PeerInfo.socket("ssh", SecurityLevel.TLS_EQUIVALENT, null, null));
        stream.outputReady();
        try {
            signalChannelOpenSuccess();
            opened.setOpened();
        } catch (RuntimeException e) {
            target.abort();
            opened.setException(e);
            return;
        }
        Splice.start(stream, target);
    }

    private void fail(OpenFuture opened, int reason, String message) {
        if (service instanceof ExplainingConnectionService explaining) {
            explaining.explainRefusal(getRecipient(), message);
        }
        try {
            opened.setException(new SshChannelOpenException(getChannelId(), reason, message));
        } finally {
            close(true);
        }
    }

}
