package io.alknet.kernel.internal;

import io.alknet.api.stream.StreamHandler;
import io.alknet.api.stream.TransportStream;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * A forward target's stream, counted against the identity that opened it and held to its bandwidth caps. Reads from
 * the target are what the identity receives ("down"): past the cap, reading pauses until the shared bucket is out of
 * debt. Writes to the target are what the identity sends ("up"): past the cap, a write's stage completes only once the
 * bucket has paid for it, so whoever feeds the stream (a {@link io.alknet.api.stream.Splice}) slows down, and with it
 * the SSH window. Nothing is dropped or reordered: every call reaches the wrapped stream at once and in order, only
 * completions and reading wait. Once the identity's bytes for the day are used up, the stream is aborted (an error to
 * both sides, never a clean end).
 */
final class MeteredStream extends ForwardingStream {

    private final IdentityAccount account;
    private final Runnable dayUsedUp;
    private final java.util.concurrent.atomic.AtomicBoolean overDay = new java.util.concurrent.atomic.AtomicBoolean();
    /** Guarded by this: the user paused reading; the cap paused it; when the cap lets it read again. */
    private boolean userPaused;
    private boolean throttled;
    private long resumeAt;

    /**
     * @param dayUsedUp runs (once per stream) when the identity's bytes for the day ran out, before the abort
     */
    MeteredStream(TransportStream stream, IdentityAccount account, Runnable dayUsedUp) {
        super(stream);
        this.account = Objects.requireNonNull(account, "account");
        this.dayUsedUp = Objects.requireNonNull(dayUsedUp, "dayUsedUp");
    }

    @Override
    public void start(StreamHandler handler) {
        stream.start(new ForwardingHandler(handler) {
            @Override
            public void onData(ByteBuffer data) {
                int bytes = data.remaining();
                boolean withinDay = account.countDown(bytes);
                super.onData(data);
                if (!withinDay) {
                    overDay();
                    return;
                }
                TokenBucket bucket = account.down();
                long wait = bucket == null ? 0 : bucket.take(bytes, System.nanoTime());
                if (wait > 0) {
                    throttle(wait);
                }
            }
        });
    }

    private void throttle(long waitNanos) {
        long until = System.nanoTime() + waitNanos;
        synchronized (this) {
            resumeAt = Math.max(resumeAt, until);
            if (throttled) {
                return; // the pending wake-up looks at resumeAt again
            }
            throttled = true;
            stream.pauseReading();
        }
        wakeAfter(waitNanos);
    }

    private void wakeAfter(long nanos) {
        CompletableFuture.delayedExecutor(nanos, TimeUnit.NANOSECONDS).execute(this::wake);
    }

    private void wake() {
        long left;
        synchronized (this) {
            left = resumeAt - System.nanoTime();
            if (left <= 0) {
                throttled = false;
                if (!userPaused) {
                    stream.resumeReading();
                }
                return;
            }
        }
        wakeAfter(left);
    }

    @Override
    public CompletionStage<Void> write(ByteBuffer data) {
        int bytes = data.remaining();
        if (!account.countUp(bytes)) {
            return overDay();
        }
        return paced(stream.write(data), bytes);
    }

    @Override
    public CompletionStage<Void> writeCopy(ByteBuffer data) {
        int bytes = data.remaining();
        if (!account.countUp(bytes)) {
            return overDay();
        }
        return paced(stream.writeCopy(data), bytes);
    }

    private CompletionStage<Void> paced(CompletionStage<Void> written, int bytes) {
        TokenBucket bucket = account.up();
        long wait = bucket == null ? 0 : bucket.take(bytes, System.nanoTime());
        if (wait <= 0) {
            return written;
        }
        return written.thenCompose(ignored -> {
            CompletableFuture<Void> paid = new CompletableFuture<>();
            CompletableFuture.delayedExecutor(wait, TimeUnit.NANOSECONDS).execute(() -> paid.complete(null));
            return paid;
        });
    }

    private CompletionStage<Void> overDay() {
        if (overDay.compareAndSet(false, true)) {
            dayUsedUp.run();
            stream.abort();
        }
        return CompletableFuture.failedFuture(new IOException("the identity's transfer quota for today is used up"));
    }

    @Override
    public synchronized void pauseReading() {
        userPaused = true;
        stream.pauseReading();
    }

    @Override
    public synchronized void resumeReading() {
        userPaused = false;
        if (!throttled) {
            stream.resumeReading();
        }
    }
}
