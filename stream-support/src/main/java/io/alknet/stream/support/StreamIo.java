package io.alknet.stream.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/** Reads and writes through streams, via the buffers' arrays. */
abstract class StreamIo implements BlockingIo {
    /** Supplies a stream, which may throw. */
    interface Source<T> {
        T get() throws IOException;
    }

    private final Source<InputStream> in;
    private final Source<OutputStream> out;

    StreamIo(Source<InputStream> in, Source<OutputStream> out) {
        this.in = in;
        this.out = out;
    }

    @Override
    public int read(ByteBuffer buffer) throws IOException {
        int n = in.get().read(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
        if (n > 0) {
            buffer.position(buffer.position() + n);
        }
        return n;
    }

    @Override
    public int write(ByteBuffer buffer) throws IOException {
        int n = buffer.remaining();
        OutputStream stream = out.get();
        if (buffer.hasArray()) {
            stream.write(buffer.array(), buffer.arrayOffset() + buffer.position(), n);
            buffer.position(buffer.limit());
        } else {
            byte[] copy = new byte[n];
            buffer.get(copy);
            stream.write(copy);
        }
        stream.flush();
        return n;
    }
}
