package io.alknet.flowgraph.violation;

/** Deliberate violation: the flowgraph using Netty. Only the architecture tests import it. */
public final class FlowgraphUsesNetty {
    public Object buffer() {
        return io.netty.buffer.Unpooled.buffer();
    }
}
