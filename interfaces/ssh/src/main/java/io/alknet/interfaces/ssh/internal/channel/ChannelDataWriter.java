package io.alknet.interfaces.ssh.internal.channel;

import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.channel.AbstractChannel;
import org.apache.sshd.common.channel.RemoteWindow;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.threads.ThreadUtils;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.function.Consumer;

/**
 * Writes a channel's data as {@code SSH_MSG_CHANNEL_DATA} packets, as much as the peer's window allows,
 * and the rest when the window grows. It replaces MINA's {@code ChannelAsyncOutputStream} on the data
 * path, which allocates a logging future per packet and copies every write larger than one packet once
 * more; here the bytes are copied once, straight into the packet buffer.
 *
 * <p>One write at a time (the {@link ChannelStream} hands over the next once this one completed); a write
 * completes when all its bytes are in packets queued on the session, which happens only as fast as the peer
 * opens its window, so the bytes in flight per channel are bounded by the window. Before the channel is open
 * its window is empty: a write waits for it.
 */
final class ChannelDataWriter {

    private final AbstractChannel channel;
    /** Told each write's outcome: {@code null} when it completed, else its error. */
    private final Consumer<Throwable> completion;
    // guarded by this
    private ByteBuffer current;

    ChannelDataWriter(AbstractChannel channel, Consumer<Throwable> completion) {
        this.channel = channel;
        this.completion = completion;
    }

    void write(ByteBuffer data) {
        synchronized (this) {
            if (current != null) {
                throw new IllegalStateException("a write is already pending");
            }
            current = data;
        }
        pump();
    }

    /** The peer opened its window: continue a write that was waiting for it. */
    void windowExpanded() {
        pump();
    }

    private void pump() {
        Throwable failure = null;
        synchronized (this) {
            if (current == null) {
                return;
            }
            try {
                RemoteWindow window = channel.getRemoteWindow();
                while (current.hasRemaining()) {
                    if (channel.isClosing()) {
                        throw new ClosedChannelException();
                    }
                    int chunk = (int) Math.min(current.remaining(), Math.min(window.getSize(), window.getPacketSize()));
                    if (chunk <= 0) {
                        return; // wait for a window adjustment
                    }
                    Session session = channel.getSession();
                    Buffer packet = session.createBuffer(SshConstants.SSH_MSG_CHANNEL_DATA, chunk + 12);
                    packet.putUInt(channel.getRecipient());
                    packet.putUInt(chunk);
                    int wpos = packet.wpos();
                    packet.ensureCapacity(chunk);
                    current.get(packet.array(), wpos, chunk);
                    packet.wpos(wpos + chunk);
                    window.consume(chunk);
                    // An "internal" thread: MINA queues packets during a key exchange instead of blocking it.
                    ThreadUtils.runAsInternal(packet, channel::writePacket);
                }
            } catch (IOException | RuntimeException e) {
                failure = e;
            }
            current = null;
        }
        completion.accept(failure);
    }
}
