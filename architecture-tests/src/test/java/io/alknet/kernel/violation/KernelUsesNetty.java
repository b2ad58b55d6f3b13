package io.alknet.kernel.violation;

/** Deliberate violation: the kernel using a Netty type. */
public final class KernelUsesNetty {
    public boolean active(io.netty.channel.Channel channel) {
        return channel.isActive();
    }
}
