package io.alknet.api.violation;

/** Deliberate violation: an api class using Netty. Only the architecture tests import it. */
public final class ApiUsesNetty {
    public Object buffer() {
        return io.netty.buffer.Unpooled.buffer();
    }
}
