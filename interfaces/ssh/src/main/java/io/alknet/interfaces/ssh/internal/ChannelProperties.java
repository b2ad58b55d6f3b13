package io.alknet.interfaces.ssh.internal;

import org.apache.sshd.common.FactoryManager;
import org.apache.sshd.common.Property;
import org.apache.sshd.core.CoreModuleProperties;

/**
 * MINA properties read for every channel. Each lookup walks channel, session and manager, and a property
 * set on none of them ends in a system-property lookup under a freshly built name; set on the manager,
 * the walk stops there. Values are MINA's defaults: nothing changes but the cost, except that MINA's
 * system properties for these three ({@code org.apache.sshd.*}) no longer apply.
 */
public final class ChannelProperties {

    /**
     * The largest a channel's receive window grows to while the path's delay, not the data's consumer, holds the
     * peer back ({@code window-max}); at most the initial window ({@code window-size}) turns growing off.
     */
    public static final Property<Long> WINDOW_MAX = Property.long_("alknet-window-max", 16L << 20);

    /** What all channels of one session may grow their receive windows by, together ({@code window-budget}). */
    public static final Property<Long> WINDOW_BUDGET = Property.long_("alknet-window-budget", 32L << 20);

    private ChannelProperties() {
    }

    /** Sets, on {@code manager}, the per-channel properties that alknet otherwise leaves at their defaults. */
    public static void resolveOnManager(FactoryManager manager) {
        CoreModuleProperties.MAX_CONCURRENT_CHANNELS.set(manager, CoreModuleProperties.MAX_CONCURRENT_CHANNELS.getRequiredDefault());
        CoreModuleProperties.CHANNEL_CLOSE_TIMEOUT.set(manager, CoreModuleProperties.CHANNEL_CLOSE_TIMEOUT.getRequiredDefault());
        CoreModuleProperties.LIMIT_PACKET_SIZE.set(manager, CoreModuleProperties.LIMIT_PACKET_SIZE.getRequiredDefault());
    }
}
