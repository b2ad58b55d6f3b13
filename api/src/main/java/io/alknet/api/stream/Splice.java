package io.alknet.api.stream;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Joins two {@link TransportStream}s: what one reads, the other writes, in both directions, with
 * back-pressure (a side stops reading while too many of its bytes wait to be written on the other) and
 * half-close propagation. Used by every front end that puts a local connection into a tunnel channel.
 *
 * <p>Nothing is lost and nothing ends cleanly by mistake: a side's end of data becomes a half-close of the
 * other side, sent after every byte copied before it; a side that fails, is aborted, or closes without having
 * ended its data first (a reset, a session that went away) aborts the other side, and so does a failed write,
 * so the far peer sees an error, never a clean end of a truncated stream.
 *
 * <p>Threading: safe to create from any thread; all work happens in the streams' callbacks.
 */
public final class Splice {

    /** Bytes in flight per direction before the reading side is paused. */
    public static final int DEFAULT_HIGH_WATER_MARK = 512 * 1024;

    private final TransportStream left;
    private final TransportStream right;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final AtomicInteger openDirections = new AtomicInteger(2);
    private final AtomicLong leftToRight = new AtomicLong();
    private final AtomicLong rightToLeft = new AtomicLong();

    private Splice(TransportStream left, TransportStream right) {
        this.left = Objects.requireNonNull(left, "left");
        this.right = Objects.requireNonNull(right, "right");
    }

    /**
     * Starts both streams and copies bytes between them until both directions ended or either stream
     * closed; then closes both.
     *
     * @return completes when both streams are closed
     */
    public static Splice start(TransportStream left, TransportStream right) {
        Splice splice = new Splice(left, right);
        splice.run(DEFAULT_HIGH_WATER_MARK);
        return splice;
    }

    /** Completes when both streams are closed. */
    public CompletionStage<Void> done() {
        return done;
    }

    /** Bytes copied from left to right so far. */
    public long bytesLeftToRight() {
        return leftToRight.get();
    }

    /** Bytes copied from right to left so far. */
    public long bytesRightToLeft() {
        return rightToLeft.get();
    }

    private void run(int highWaterMark) {
        CompletableFuture.allOf(left.closeFuture().toCompletableFuture(), right.closeFuture().toCompletableFuture())
                .whenComplete((ignored, error) -> done.complete(null));
        left.start(new Direction(left, right, leftToRight, highWaterMark));
        right.start(new Direction(right, left, rightToLeft, highWaterMark));
    }

    private void directionEnded() {
        if (openDirections.decrementAndGet() == 0) {
            left.close();
            right.close();
        }
    }

    /** Copies from {@code source} into {@code sink}. */
    private final class Direction implements StreamHandler {
        private final TransportStream source;
        private final TransportStream sink;
        private final AtomicLong counter;
        private final int highWaterMark;
        private final AtomicLong inFlight = new AtomicLong();
        private boolean paused; // guarded by this
        private volatile boolean inputEnded;

        Direction(TransportStream source, TransportStream sink, AtomicLong counter, int highWaterMark) {
            this.source = source;
            this.sink = sink;
            this.counter = counter;
            this.highWaterMark = highWaterMark;
        }

        @Override
        public void onData(ByteBuffer data) {
            int length = data.remaining();
            if (length == 0) {
                return;
            }
            counter.addAndGet(length);
            long pending = inFlight.addAndGet(length);
            sink.writeCopy(data).whenComplete((ignored, error) -> {
                if (error != null) {
                    // the bytes did not get through: neither peer may see a clean end
                    sink.abort();
                    source.abort();
                    return;
                }
                if (inFlight.addAndGet(-length) <= highWaterMark / 2) {
                    resumeIfDrained();
                }
            });
            if (pending > highWaterMark) {
                pauseIfFull();
            }
        }

        // Pausing and resuming re-check the level under one lock, so a write completing between the
        // check and the pause cannot be missed (which would leave the source paused forever).
        private synchronized void pauseIfFull() {
            if (!paused && inFlight.get() > highWaterMark) {
                paused = true;
                source.pauseReading();
            }
        }

        private synchronized void resumeIfDrained() {
            if (paused && inFlight.get() <= highWaterMark / 2) {
                paused = false;
                source.resumeReading();
            }
        }

        @Override
        public void onInputClosed() {
            inputEnded = true;
            sink.shutdownOutput().whenComplete((ignored, error) -> directionEnded());
        }

        @Override
        public void onClosed(Throwable error) {
            if (error != null || !inputEnded) {
                sink.abort();
            } else {
                sink.close();
            }
        }
    }
}
