package io.alknet.stream.support;

import io.alknet.api.stream.PeerInfo;
import io.alknet.api.stream.StreamHandler;

import java.nio.ByteBuffer;

/**
 * An {@link AbstractTransportStream} over {@link ByteBuffer}s: what a transport reports is valid only during the
 * report (a read buffer it reuses, memory lent by a native library), so what must wait is copied; writes hand the
 * caller's buffer over as it is ({@code writeCopy} copies it first).
 */
public abstract class AbstractByteBufferStream extends AbstractTransportStream<ByteBuffer> {

    protected AbstractByteBufferStream(PeerInfo peer, StreamExecutor inbound, StreamExecutor outbound) {
        super(peer, inbound, outbound);
    }

    /** With an {@linkplain SerialExecutor#inline() inline} serial executor for each direction. */
    protected AbstractByteBufferStream(PeerInfo peer) {
        super(peer);
    }

    @Override
    protected ByteBuffer retain(ByteBuffer data) {
        return copyOf(data);
    }

    @Override
    protected void deliver(StreamHandler handler, ByteBuffer data) {
        handler.onData(data);
    }

    @Override
    protected ByteBuffer wrap(ByteBuffer data) {
        return data;
    }

    @Override
    protected ByteBuffer copyOf(ByteBuffer data) {
        return ByteBuffer.allocate(data.remaining()).put(data).flip();
    }
}
