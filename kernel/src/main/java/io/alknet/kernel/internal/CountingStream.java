package io.alknet.kernel.internal;

import io.alknet.api.metrics.Metrics;
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
final class CountingStream extends ForwardingStream {

    private final Metrics.Counter read;
    private final Metrics.Counter written;

    CountingStream(TransportStream stream, Metrics.Counter read, Metrics.Counter written) {
        super(stream);
        this.read = Objects.requireNonNull(read, "read");
        this.written = Objects.requireNonNull(written, "written");
    }

    @Override
    public void start(StreamHandler handler) {
        stream.start(new ForwardingHandler(handler) {
            @Override
            public void onData(ByteBuffer data) {
                read.increment(data.remaining());
                super.onData(data);
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
}
