package io.alknet.interfaces.ssh.internal.channel;

import org.apache.sshd.common.io.IoWriteFuture;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.server.channel.AbstractServerChannel;

import java.io.IOException;

/**
 * A channel the peer opened whose data is a {@link ChannelStream}: incoming data, window adjustments and
 * end-of-stream go to the stream once {@link #stream} is set (before that, nothing is delivered; the
 * channel is not confirmed yet). Subclasses decide in {@code doInit} what the channel connects to.
 */
abstract class StreamServerChannel extends AbstractServerChannel {

    private final String kind;
    /** Set when the channel is confirmed; read on MINA's thread. */
    protected volatile ChannelStream stream;

    /** @param kind the channel type for error messages, e.g. {@code direct-tcpip} */
    StreamServerChannel(String kind) {
        super("", java.util.List.of(), null);
        this.kind = kind;
    }

    @Override
    public void handleWindowAdjust(Buffer buffer) throws IOException {
        super.handleWindowAdjust(buffer);
        ChannelStream current = stream;
        if (current != null) {
            current.windowExpanded();
        }
    }

    @Override
    protected void doWriteData(byte[] data, int off, long len) throws IOException {
        ChannelStream current = stream;
        if (current != null) {
            current.received(data, off, (int) len);
        }
    }

    @Override
    protected void doWriteExtendedData(byte[] data, int off, long len) throws IOException {
        throw new IOException(kind + " channels carry no extended data");
    }

    @Override
    public void handleEof() throws IOException {
        super.handleEof();
        ChannelStream current = stream;
        if (current != null) {
            current.eofReceived();
        }
    }

    @Override
    protected IoWriteFuture sendEof() throws IOException {
        return super.sendEof();
    }

    /** Without the session: MINA builds this string on every close, and the session's own is costlier. */
    @Override
    public String toString() {
        return kind + "[id=" + getChannelId() + ", recipient=" + getRecipient() + "]";
    }
}
