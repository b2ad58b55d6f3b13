package io.alknet.kernel.internal;

import io.alknet.api.metrics.Metrics;
import io.alknet.api.stream.PeerInfo;
import io.alknet.api.stream.StreamHandler;
import io.alknet.api.stream.TransportStream;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * A {@link TransportStream} that counts the bytes it reads and the bytes it is given to write, and otherwise is the
 * stream it wraps: every call goes through unchanged, in order, on the caller's thread (so back-pressure, half-close
 * and abort mean what they meant). Written bytes are counted when queued.
 */
final class CountingStream implements TransportStream {

    private final TransportStream stream;
    private final Metrics.Counter read;
    private final Metrics.Counter written;

    CountingStream(TransportStream stream, Metrics.Counter read, Metrics.Counter written) {
        this.stream = Objects.requireNonNull(stream, "stream");
        this.read = Objects.requireNonNull(read, "read");
        this.written = Objects.requireNonNull(written, "written");
    }

    @Override
    public PeerInfo peer() {
        return stream.peer();
    }

    @Override
    public void start(StreamHandler handler) {
        Objects.requireNonNull(handler, "handler");
        stream.start(new StreamHandler() {
            @Override
            public void onData(ByteBuffer data) {
                read.increment(data.remaining());
                handler.onData(data);
            }

            @Override
            public void onInputClosed() {
                handler.onInputClosed();
            }

            @Override
            public void onClosed(Throwable error) {
                handler.onClosed(error);
            }
        });
    }

    @Override
    public CompletionStage<Void> write(ByteBuffer data) {
        written.increment(data.remaining());
        return stream.write(data);
    }

    @Override
    public CompletionStage<Void> writeCopy(ByteBuffer data) {
        written.increment(data.remaining());
        return stream.writeCopy(data);
    }

    @Override
    public void pauseReading() {
        stream.pauseReading();
    }

    @Override
    public void resumeReading() {
        stream.resumeReading();
    }

    @Override
    public CompletionStage<Void> shutdownOutput() {
        return stream.shutdownOutput();
    }

    @Override
    public void close() {
        stream.close();
    }

    @Override
    public void abort() {
        stream.abort();
    }

    @Override
    public boolean isOpen() {
        return stream.isOpen();
    }

    @Override
    public CompletionStage<Void> closeFuture() {
        return stream.closeFuture();
    }
}
