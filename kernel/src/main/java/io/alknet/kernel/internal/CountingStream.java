package io.alknet.kernel.internal;

import io.alknet.api.stream.PeerInfo;
import io.alknet.api.stream.StreamHandler;
import io.alknet.api.stream.TransportStream;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

/** A tunnel channel that counts the bytes crossing it (for status lines; never per destination). */
final class CountingStream implements TransportStream {

    private final TransportStream delegate;
    private final AtomicLong up;
    private final AtomicLong down;

    CountingStream(TransportStream delegate, AtomicLong up, AtomicLong down) {
        this.delegate = delegate;
        this.up = up;
        this.down = down;
    }

    @Override
    public PeerInfo peer() {
        return delegate.peer();
    }

    @Override
    public void start(StreamHandler handler) {
        delegate.start(new StreamHandler() {
            @Override
            public void onData(ByteBuffer data) {
                down.addAndGet(data.remaining());
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
        up.addAndGet(data.remaining());
        return delegate.write(data);
    }

    @Override
    public CompletionStage<Void> writeCopy(ByteBuffer data) {
        up.addAndGet(data.remaining());
        return delegate.writeCopy(data);
    }

    @Override
    public void pauseReading() {
        delegate.pauseReading();
    }

    @Override
    public void resumeReading() {
        delegate.resumeReading();
    }

    @Override
    public CompletionStage<Void> shutdownOutput() {
        return delegate.shutdownOutput();
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public void abort() {
        delegate.abort();
    }

    @Override
    public boolean isOpen() {
        return delegate.isOpen();
    }

    @Override
    public CompletionStage<Void> closeFuture() {
        return delegate.closeFuture();
    }
}
