package io.alknet.cli.violation;

/** Deliberate violation: another module reaching into the kernel's internal package. */
public final class UsesKernelInternal {
    public Object audit() {
        return new io.alknet.kernel.internal.AuditLog();
    }
}
