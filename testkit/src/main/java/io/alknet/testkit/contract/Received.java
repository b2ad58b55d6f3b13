package io.alknet.testkit.contract;

import io.alknet.api.stream.StreamHandler;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** A {@link StreamHandler} that records what a stream delivers, for assertions. Thread-safe. */
public final class Received implements StreamHandler {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    /** Completes when the peer half-closed. */
    public final CompletableFuture<Void> inputClosed = new CompletableFuture<>();
    /** Completes when the stream closed, with the error if any (null for a clean close). */
    public final CompletableFuture<Throwable> closed = new CompletableFuture<>();

    @Override
    public synchronized void onData(ByteBuffer data) {
        byte[] copy = new byte[data.remaining()];
        data.get(copy);
        bytes.writeBytes(copy);
    }

    @Override
    public void onInputClosed() {
        inputClosed.complete(null);
    }

    @Override
    public void onClosed(Throwable error) {
        closed.complete(error);
    }

    public synchronized int size() {
        return bytes.size();
    }

    public synchronized byte[] bytes() {
        return bytes.toByteArray();
    }

    /** Waits until {@code size} bytes arrived. */
    public void awaitSize(int size, long seconds) throws InterruptedException {
        await(() -> size() >= size, seconds, "waiting for " + size + " bytes, got " + size());
    }

    static void await(BooleanSupplier condition, long seconds, String what) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("timed out " + what);
            }
            Thread.sleep(5);
        }
    }
}
