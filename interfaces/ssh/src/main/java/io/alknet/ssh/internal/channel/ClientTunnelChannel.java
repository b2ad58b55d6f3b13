package io.alknet.ssh.internal.channel;

import io.alknet.api.stream.PeerInfo;
import io.alknet.api.transport.SecurityLevel;
import org.apache.sshd.client.channel.ChannelDirectTcpip;
import org.apache.sshd.common.channel.StreamingChannel;
import org.apache.sshd.common.io.IoWriteFuture;
import org.apache.sshd.common.util.net.SshdSocketAddress;

import java.io.IOException;

/**
 * The client side of a {@code direct-tcpip} channel, exposed through {@link #stream()}. Data from the
 * server goes straight to the stream's handler, bypassing MINA's buffered async input.
 */
public final class ClientTunnelChannel extends ChannelDirectTcpip {

    /** The originator we announce: the spec's {@code 127.0.0.1:0}; the real local peer is not disclosed. */
    private static final SshdSocketAddress ORIGINATOR = new SshdSocketAddress("127.0.0.1", 0);

    private final ChannelStream stream;

    public ClientTunnelChannel(String host, int port) {
        super(ORIGINATOR, new SshdSocketAddress(host, port));
        setStreaming(StreamingChannel.Streaming.Async);
        stream = new ChannelStream(this, this::sendEof, PeerInfo.socket("ssh", SecurityLevel.TLS_EQUIVALENT, null, null));
    }

    public ChannelStream stream() {
        return stream;
    }

    @Override
    protected void doOpen() throws IOException {
        super.doOpen();
        stream.outputReady(getAsyncIn());
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
}
