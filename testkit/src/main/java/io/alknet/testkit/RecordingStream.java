package io.alknet.testkit;

import io.alknet.api.stream.PeerInfo;
import io.alknet.api.stream.StreamHandler;
import io.alknet.api.stream.TransportStream;
import io.alknet.api.transport.SecurityLevel;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * A {@link TransportStream} for unit tests of pure logic: it records each write, and the test feeds
 * reads through {@link #handler()}. Writes complete at once, or fail after {@link #failWrites()}.
 * End-to-end tests use real sockets instead.
 *
 * <p>Threading: thread-safe.
 */
public final class RecordingStream implements TransportStream {

    private final List<byte[]> writes = new ArrayList<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private volatile StreamHandler handler;
    private volatile boolean failWrites;
    private volatile Consumer<byte[]> onWrite = bytes -> {
    };

    @Override
    public PeerInfo peer() {
        return PeerInfo.socket("memory", SecurityLevel.UNPROTECTED, null, null);
    }

    @Override
    public void start(StreamHandler streamHandler) {
        handler = streamHandler;
    }

    /** The handler given to {@link #start}; null before. */
    public StreamHandler handler() {
        return handler;
    }

    @Override
    public CompletionStage<Void> write(ByteBuffer data) {
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        if (failWrites) {
            return CompletableFuture.failedFuture(new IOException("broken pipe (RecordingStream.failWrites)"));
        }
        synchronized (writes) {
            writes.add(bytes);
        }
        onWrite.accept(bytes);
        return CompletableFuture.completedFuture(null);
    }

    /** Runs {@code hook} with each write's bytes, on the writing thread, before the write completes. */
    public void onWrite(Consumer<byte[]> hook) {
        onWrite = hook;
    }

    /** From now on every write fails with an {@link IOException}. */
    public void failWrites() {
        failWrites = true;
    }

    /** Each successful write's bytes, in order. */
    public List<byte[]> writes() {
        synchronized (writes) {
            return List.copyOf(writes);
        }
    }

    /** All bytes written so far, as one array. */
    public byte[] written() {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        writes().forEach(all::writeBytes);
        return all.toByteArray();
    }

    @Override
    public void pauseReading() {
    }

    @Override
    public void resumeReading() {
    }

    @Override
    public CompletionStage<Void> shutdownOutput() {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void close() {
        closed.complete(null);
    }

    @Override
    public void abort() {
        closed.complete(null);
    }

    /** True once {@link #close()} or {@link #abort()} was called. */
    public boolean isClosed() {
        return closed.isDone();
    }

    @Override
    public boolean isOpen() {
        return !closed.isDone();
    }

    @Override
    public CompletionStage<Void> closeFuture() {
        return closed;
    }
}
