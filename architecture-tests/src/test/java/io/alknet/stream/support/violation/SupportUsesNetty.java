package io.alknet.stream.support.violation;

/** Deliberate violation: the stream support library using Netty. Only the architecture tests import it. */
public final class SupportUsesNetty {
    public Object buffer() {
        return io.netty.buffer.Unpooled.buffer();
    }
}
