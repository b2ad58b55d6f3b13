package io.alknet.interfaces.ssh.violation;

/** Deliberate violation: a plugin class calling the kernel. */
public final class PluginUsesKernel {
    public String user() {
        return io.alknet.kernel.Alknet.defaultUser();
    }
}
