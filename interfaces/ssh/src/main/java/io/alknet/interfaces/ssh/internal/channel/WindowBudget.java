package io.alknet.interfaces.ssh.internal.channel;

import io.alknet.interfaces.ssh.internal.ChannelProperties;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.session.Session;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What the channels of one session may still grow their receive windows by ({@link ChannelProperties#WINDOW_BUDGET}):
 * a window is what the peer may send before the data is passed on, so the budget bounds what one session can make
 * this side hold when its consumers stall.
 */
final class WindowBudget {

    private static final AttributeKey<WindowBudget> KEY = new AttributeKey<>();

    private final AtomicLong left;

    private WindowBudget(long bytes) {
        left = new AtomicLong(Math.max(0, bytes));
    }

    static WindowBudget of(Session session) {
        return session.computeAttributeIfAbsent(KEY, key -> new WindowBudget(ChannelProperties.WINDOW_BUDGET.getRequired(session)));
    }

    /** Takes up to {@code wanted} bytes; returns what was taken (0 when the budget is used up). */
    long take(long wanted) {
        while (true) {
            long now = left.get();
            long taken = Math.min(now, wanted);
            if (taken <= 0 || left.compareAndSet(now, now - taken)) {
                return Math.max(0, taken);
            }
        }
    }

    void giveBack(long bytes) {
        if (bytes > 0) {
            left.addAndGet(bytes);
        }
    }
}
