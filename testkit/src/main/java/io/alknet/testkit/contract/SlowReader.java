package io.alknet.testkit.contract;

import io.alknet.api.stream.StreamHandler;
import io.alknet.api.stream.TransportStream;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A reader slower than the stream: it takes about {@code bytesPerSecond}, pausing the stream whenever it is
 * ahead of that pace and resuming it later, so the writer's bytes pile up in the transport's queues. What it
 * read is hashed (SHA-256) and counted, not kept, so tens of megabytes cost nothing.
 *
 * <p>Thread-safe; the stream's callbacks come one at a time.
 */
public final class SlowReader implements StreamHandler {

    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("slow-reader").factory());

    private final TransportStream stream;
    private final long bytesPerSecond;
    private final MessageDigest digest;
    private final long startNanos = System.nanoTime();
    private long count; // guarded by this
    private boolean paused; // guarded by this
    /** Completes when the peer half-closed. */
    public final CompletableFuture<Void> inputClosed = new CompletableFuture<>();
    /** Completes when the stream closed, with the error if any (null for a clean close). */
    public final CompletableFuture<Throwable> closed = new CompletableFuture<>();

    /** Reads {@code stream} at about {@code bytesPerSecond}; call {@code stream.start(reader)} afterwards. */
    public SlowReader(TransportStream stream, long bytesPerSecond) {
        this.stream = stream;
        this.bytesPerSecond = bytesPerSecond;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The SHA-256 of {@code bytes}, in hex, to compare with {@link #sha256()}. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void onData(ByteBuffer data) {
        long ahead;
        synchronized (this) {
            count += data.remaining();
            digest.update(data);
            long due = (System.nanoTime() - startNanos) * bytesPerSecond / 1_000_000_000L;
            ahead = count - due;
            if (ahead <= 0 || paused) {
                return;
            }
            paused = true;
        }
        stream.pauseReading();
        long waitMillis = Math.max(1, ahead * 1000 / bytesPerSecond);
        TIMER.schedule(this::resume, waitMillis, TimeUnit.MILLISECONDS);
    }

    private void resume() {
        synchronized (this) {
            paused = false;
        }
        stream.resumeReading();
    }

    @Override
    public void onInputClosed() {
        inputClosed.complete(null);
    }

    @Override
    public void onClosed(Throwable error) {
        closed.complete(error);
    }

    /** Bytes read so far. */
    public synchronized long count() {
        return count;
    }

    /** The SHA-256 of everything read, in hex; call once the input ended. */
    public synchronized String sha256() {
        try {
            return HexFormat.of().formatHex(((MessageDigest) digest.clone()).digest());
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }
}
