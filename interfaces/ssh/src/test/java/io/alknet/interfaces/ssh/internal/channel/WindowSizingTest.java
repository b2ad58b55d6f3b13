package io.alknet.interfaces.ssh.internal.channel;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sizing decisions alone, on a simulated clock: a peer held back by the window over a 50 ms path, a peer held back
 * by its own rate, and a consumer that pauses.
 */
class WindowSizingTest {

    private static final long MS = 1_000_000L;
    private static final long MIB = 1 << 20;
    private static final int PACKET = 32 * 1024;

    /** The receiver's side of a channel: a window, its credit, and the sizing. */
    private static final class Receiver {
        final WindowSizing sizing;
        long window;
        long credit;
        final List<Long> windows = new ArrayList<>();

        Receiver(long window, long largest) {
            this.sizing = new WindowSizing(largest);
            this.window = window;
            this.credit = window;
            windows.add(window);
        }

        /** A packet arrived at {@code now} and was passed on at once (its credit comes back). */
        void packet(long now) {
            credit -= PACKET;
            long grow = sizing.arrived(PACKET, now, credit, window);
            credit += PACKET;
            if (grow > 0) {
                sizing.granted(grow - window);
                credit += grow - window;
                window = grow;
                windows.add(window);
            }
        }
    }

    /** Over a path of {@code rttMs}, a sender that always has data sends a window's worth per round trip. */
    private static void windowLimited(Receiver receiver, long rttMs, int roundTrips) {
        long now = 0;
        for (int trip = 0; trip < roundTrips; trip++) {
            long packets = receiver.window / PACKET;
            for (long i = 0; i < packets; i++) {
                receiver.packet(now + i * rttMs * MS / 10 / packets); // a window's burst spreads over a tenth of the RTT
            }
            now += rttMs * MS;
        }
    }

    @Test
    void aWindowLimitedPeerGetsDoublingWindowsUpToTheLargest() {
        Receiver receiver = new Receiver(2 * MIB, 16 * MIB);
        windowLimited(receiver, 50, 40);
        assertThat(receiver.windows).containsExactly(2 * MIB, 4 * MIB, 8 * MIB, 16 * MIB);
    }

    @Test
    void aPeerHeldBackByItsOwnRateGetsOneDoublingAtMost() {
        Receiver receiver = new Receiver(2 * MIB, 64 * MIB);
        long bytesPerSecond = 40 * MIB;
        long now = 0;
        for (int i = 0; i < 20_000; i++) {
            receiver.packet(now);
            now += PACKET * 1_000_000_000L / bytesPerSecond;
        }
        assertThat(receiver.windows).hasSizeLessThanOrEqualTo(2);
    }

    @Test
    void aShortPathKeepsTheInitialWindow() {
        // loopback: a window per 0.2 ms round trip, every sample alike, none long enough to say the path holds it back
        Receiver receiver = new Receiver(2 * MIB, 16 * MIB);
        long now = 0;
        for (int trip = 0; trip < 2000; trip++) {
            long packets = receiver.window / PACKET;
            for (long i = 0; i < packets; i++) {
                receiver.packet(now + i * 2_500);
            }
            now += 200_000;
        }
        assertThat(receiver.windows).containsExactly(2 * MIB);
    }

    @Test
    void aPausedConsumerNeverGrowsTheWindow() {
        Receiver receiver = new Receiver(2 * MIB, 16 * MIB);
        long now = 0;
        for (int trip = 0; trip < 40; trip++) {
            receiver.sizing.consumerPaused();
            for (long i = 0; i < receiver.window / PACKET; i++) {
                receiver.packet(now + i);
            }
            now += 50 * MS;
        }
        assertThat(receiver.windows).containsExactly(2 * MIB);
    }

    @Test
    void noSampleStartsWhileMostOfTheWindowIsHeld() {
        WindowSizing sizing = new WindowSizing(16 * MIB);
        long window = 2 * MIB;
        // the consumer holds 1.5 MiB: every arrival sees less than half the window as credit
        long now = 0;
        for (int i = 0; i < 1000; i++) {
            assertThat(sizing.arrived(PACKET, now, window / 4, window)).isZero();
            now += MS;
        }
    }

    @Test
    void aLargestAtTheInitialWindowKeepsItFixed() {
        Receiver receiver = new Receiver(2 * MIB, 2 * MIB);
        windowLimited(receiver, 50, 20);
        assertThat(receiver.windows).containsExactly(2 * MIB);
    }
}
