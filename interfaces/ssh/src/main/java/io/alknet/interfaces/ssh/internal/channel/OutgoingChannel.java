package io.alknet.interfaces.ssh.internal.channel;

import io.alknet.api.stream.PeerInfo;
import io.alknet.api.transport.SecurityLevel;
import org.apache.sshd.client.channel.AsyncCapableClientChannel;
import org.apache.sshd.client.future.OpenFuture;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.SshException;
import org.apache.sshd.common.channel.LocalWindow;
import org.apache.sshd.common.io.IoWriteFuture;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.buffer.Buffer;

import java.io.IOException;
import java.util.function.Consumer;

/**
 * A tunnel channel this side opens, exposed through {@link #stream()}: {@code direct-tcpip} from a
 * client, {@code forwarded-tcpip} from a server for a remote forward. Data from the peer goes straight to
 * the stream's handler, bypassing MINA's buffered async input.
 */
public final class OutgoingChannel extends AsyncCapableClientChannel {

    private final Consumer<Buffer> openPayload;
    private final ChannelStream stream;

    private OutgoingChannel(String type, Consumer<Buffer> openPayload) {
        super(type, false);
        this.openPayload = openPayload;
        stream = new ChannelStream(this, this::sendEof, this::sendWindowAdjust, PeerInfo.socket("ssh", SecurityLevel.TLS_EQUIVALENT, null, null));
        addCloseFutureListener(closed -> {
            OpenFuture pending = openFuture;
            if (pending != null && !pending.isDone()) {
                pending.setException(new SshException("the channel closed before it was opened"));
            }
        });
    }

    /**
     * A {@code direct-tcpip} channel to {@code host:port}. The originator is the spec's {@code 127.0.0.1:0}:
     * the real local peer is not disclosed.
     */
    public static OutgoingChannel directTcpip(String host, int port) {
        return new OutgoingChannel("direct-tcpip", buffer -> {
            buffer.putString(host);
            buffer.putUInt(port);
            buffer.putString("127.0.0.1");
            buffer.putUInt(0);
        });
    }

    /** A {@code forwarded-tcpip} channel for a connection accepted on a remote forward. */
    public static OutgoingChannel forwardedTcpip(String connectedHost, int connectedPort, String originatorHost, int originatorPort) {
        return new OutgoingChannel("forwarded-tcpip", buffer -> {
            buffer.putString(connectedHost);
            buffer.putUInt(connectedPort);
            buffer.putString(originatorHost);
            buffer.putUInt(originatorPort);
        });
    }

    /** A UDP relay channel ({@link UdpRelayChannel#TYPE}); it carries datagram frames. */
    public static OutgoingChannel udpRelay() {
        return new OutgoingChannel(UdpRelayChannel.TYPE, buffer -> {
        });
    }

    public ChannelStream stream() {
        return stream;
    }

    @Override
    public synchronized OpenFuture open() throws IOException {
        if (isClosing()) {
            throw new SshException("the session is closing");
        }
        openFuture = new SettledOpenFuture(this, futureLock); // the id is only printed: no string per open
        Session session = getSession();
        LocalWindow window = getLocalWindow();
        Buffer buffer = session.createBuffer(SshConstants.SSH_MSG_CHANNEL_OPEN, 256);
        buffer.putString(getChannelType());
        buffer.putUInt(getChannelId());
        buffer.putUInt(window.getSize());
        buffer.putUInt(window.getPacketSize());
        openPayload.accept(buffer);
        writePacket(buffer);
        if (isClosing() && !openFuture.isDone()) {
            // closed since the check above: the close listener may have run before the future existed
            openFuture.setException(new SshException("the channel closed before it was opened"));
        }
        return openFuture;
    }

    /**
     * Not MINA's: its asynchronous streams would go unused (the {@link ChannelStream} reads and writes the
     * channel) and cost two objects per channel and an exception with a stack trace on every close.
     */
    @Override
    protected void doOpen() {
        stream.outputReady();
    }

    @Override
    public void handleWindowAdjust(Buffer buffer) throws IOException {
        super.handleWindowAdjust(buffer);
        stream.windowExpanded();
    }

    @Override
    protected void doWriteData(byte[] data, int off, long len) throws IOException {
        if (isClosing()) {
            return;
        }
        stream.received(data, off, (int) len);
    }

    @Override
    public void handleEof() throws IOException {
        super.handleEof();
        stream.eofReceived();
    }

    @Override
    protected IoWriteFuture sendEof() throws IOException {
        return super.sendEof();
    }

    /** Without the session: MINA builds this string on every close, and the session's own is costlier. */
    @Override
    public String toString() {
        return getChannelType() + "[id=" + getChannelId() + ", recipient=" + getRecipient() + "]";
    }
}
