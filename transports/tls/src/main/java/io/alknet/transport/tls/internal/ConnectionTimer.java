package io.alknet.transport.tls.internal;

import io.netty.channel.Channel;
import io.netty.util.concurrent.ScheduledFuture;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The one timer of a stealth connection, as nginx has one read timer per connection: armed at accept (nginx's
 * {@code client_header_timeout} covers the TLS handshake and the first request head), re-armed by whoever owns the
 * connection's current phase, and when it fires, the current owner's action runs. Every state a stealth connection
 * can wait in has this timer armed, so no connection stays open because its client went quiet.
 *
 * <p>Threading: the channel's event loop only.
 */
final class ConnectionTimer {

    private final Channel channel;
    private Runnable action;
    private ScheduledFuture<?> pending;

    ConnectionTimer(Channel channel, Runnable action) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.action = Objects.requireNonNull(action, "action");
        channel.closeFuture().addListener(closed -> cancel());
    }

    /** What happens when the timer fires from now on; does not move it. */
    void onExpiry(Runnable next) {
        action = Objects.requireNonNull(next, "next");
    }

    /** Fires {@code after} from now, instead of when it would have. */
    void arm(Duration after) {
        cancel();
        pending = channel.eventLoop().schedule(() -> {
            pending = null;
            action.run();
        }, Math.max(1, after.toMillis()), TimeUnit.MILLISECONDS);
    }

    void cancel() {
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
    }
}
