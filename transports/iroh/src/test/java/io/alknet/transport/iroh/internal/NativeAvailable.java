package io.alknet.transport.iroh.internal;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The iroh tests need the native library, which a build without cargo does not have (it says so in one line, and
 * the transport reports itself unavailable). CI always has cargo: {@code ./test} refuses to start without it.
 */
final class NativeAvailable {

    private NativeAvailable() {
    }

    static void assume() {
        String reason = Native.unavailableReason();
        assumeTrue(reason == null, () -> "iroh native library unavailable: " + reason);
    }
}
