package io.alknet.interfaces.ssh.internal.channel;

import io.alknet.interfaces.ssh.internal.ChannelProperties;
import org.apache.sshd.common.PropertyResolver;
import org.apache.sshd.common.channel.AbstractChannel;
import org.apache.sshd.common.channel.LocalWindow;
import org.apache.sshd.core.CoreModuleProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Map;

/**
 * A channel's receive window (MINA's {@link LocalWindow}), sized to the path: it starts at {@code window-size} and
 * doubles, up to {@link ChannelProperties#WINDOW_MAX} and within the session's {@link WindowBudget}, while
 * {@link WindowSizing} sees the peer held back by the window rather than by this side's consumer. Growing re-sizes
 * MINA's window and grants the peer the difference in one SSH_MSG_CHANNEL_WINDOW_ADJUST; releasing and growing are
 * serialized so that the peer is never granted more than the window holds. The budget comes back when the channel
 * closes.
 */
final class ReceiveWindow {

    private static final Logger LOG = LoggerFactory.getLogger(ReceiveWindow.class);

    private final AbstractChannel channel;
    private final ChannelStream.WindowAdjuster adjuster;
    /** Serializes {@link LocalWindow#release} with growing: both grant the peer what the window has room for. */
    private final Object lock = new Object();
    /** Created at the first arrival (the window is sized when the channel opens); null until then. */
    private WindowSizing sizing;
    private boolean fixed;
    private volatile WindowBudget budget;
    /** Guarded by lock: taken from the budget, given back on close. */
    private long borrowed;
    private boolean closed;

    ReceiveWindow(AbstractChannel channel, ChannelStream.WindowAdjuster adjuster) {
        this.channel = channel;
        this.adjuster = adjuster;
        channel.addCloseFutureListener(f -> close());
    }

    /** Data arrived (on MINA's thread, after the window was consumed). */
    void arrived(int length) {
        if (fixed) {
            return;
        }
        LocalWindow window = channel.getLocalWindow();
        if (sizing == null) {
            long largest = ChannelProperties.WINDOW_MAX.getRequired(channel);
            if (largest <= window.getMaxSize()) {
                fixed = true;
                return;
            }
            sizing = new WindowSizing(largest);
            budget = WindowBudget.of(channel.getSession());
        }
        long grow = sizing.arrived(length, System.nanoTime(), window.getSize(), window.getMaxSize());
        if (grow > 0) {
            grow(window, grow);
        }
    }

    /** The consumer took {@code length} bytes: the peer may send them again. */
    void release(int length) throws IOException {
        synchronized (lock) {
            LocalWindow window = channel.getLocalWindow();
            if (window.isOpen()) {
                window.release(length);
            }
        }
    }

    /** The consumer paused the stream. */
    void consumerPaused() {
        WindowSizing current = sizing;
        if (current != null) {
            current.consumerPaused();
        }
    }

    private void grow(LocalWindow window, long target) {
        long before = window.getMaxSize();
        long extra = budget.take(target - before);
        if (extra <= 0) {
            return;
        }
        long granted;
        synchronized (lock) {
            if (closed || !window.isOpen()) {
                budget.giveBack(extra);
                return;
            }
            long credit = window.getSize();
            long size = before + extra;
            window.init(sized(size, window.getPacketSize()));
            borrowed += extra;
            granted = size - credit;
            try {
                adjuster.sendWindowAdjust(granted);
            } catch (IOException e) {
                LOG.debug("channel {}: the window adjustment could not be sent", channel.getChannelId(), e);
                return;
            }
        }
        sizing.granted(granted);
        LOG.debug("ssh {} channel {}: receive window {} -> {} bytes", channel.getSession().isServerSession() ? "server" : "client",
                channel.getChannelId(), before, before + extra);
    }

    /** The channel's properties with the window set to {@code size} (and the packet size kept as announced). */
    private PropertyResolver sized(long size, long packetSize) {
        Map<String, Object> properties = Map.of(
                CoreModuleProperties.WINDOW_SIZE.getName(), size,
                CoreModuleProperties.MAX_PACKET_SIZE.getName(), packetSize);
        return new PropertyResolver() {
            @Override
            public PropertyResolver getParentPropertyResolver() {
                return channel;
            }

            @Override
            public Map<String, Object> getProperties() {
                return properties;
            }
        };
    }

    private void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            if (budget != null) {
                budget.giveBack(borrowed);
            }
            borrowed = 0;
        }
    }
}
