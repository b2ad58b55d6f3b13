package io.alknet.kernel.internal;

import io.alknet.api.stream.PeerInfo;
import io.alknet.api.stream.StreamHandler;
import io.alknet.api.stream.TransportStream;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * A {@link TransportStream} that passes every call to the stream it wraps, unchanged, on the caller's thread: the base
 * of the kernel's wrappers, which override only what they add to (counting, metering), so that back-pressure,
 * half-close and abort keep meaning what they meant.
 */
abstract class ForwardingStream implements TransportStream {

    protected final TransportStream stream;

    ForwardingStream(TransportStream stream) {
        this.stream = Objects.requireNonNull(stream, "stream");
    }

    @Override
    public PeerInfo peer() {
        return stream.peer();
    }

    @Override
    public String route() {
        return stream.route();
    }

    @Override
    public void start(StreamHandler handler) {
        stream.start(handler);
    }

    @Override
    public CompletionStage<Void> write(ByteBuffer data) {
        return stream.write(data);
    }

    @Override
    public CompletionStage<Void> writeCopy(ByteBuffer data) {
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

    /** A handler that passes every event on to {@code handler}; override what to add. */
    static class ForwardingHandler implements StreamHandler {

        private final StreamHandler handler;

        ForwardingHandler(StreamHandler handler) {
            this.handler = Objects.requireNonNull(handler, "handler");
        }

        @Override
        public void onData(ByteBuffer data) {
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
    }
}
