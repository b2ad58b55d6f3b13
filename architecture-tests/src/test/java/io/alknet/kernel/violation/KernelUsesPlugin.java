package io.alknet.kernel.violation;

/** Deliberate violation: the kernel naming a plugin class. */
public final class KernelUsesPlugin {
    public Object plugin() {
        return new io.alknet.transport.tcp.TcpPlugin();
    }
}
