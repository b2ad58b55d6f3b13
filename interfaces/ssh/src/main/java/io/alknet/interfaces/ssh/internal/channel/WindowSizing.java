package io.alknet.interfaces.ssh.internal.channel;

/**
 * Decides when a channel's receive window should grow, from the arrivals alone, as TCP's receive-side autotuning
 * (Linux's "dynamic right-sizing") does: a window caps a stream at window / RTT, and the receiver cannot see the RTT
 * directly, but it can see how long the peer takes to use up what was granted.
 *
 * <p>A sample starts with everything granted so far (what arrived plus the credit left) and ends when the peer has
 * sent all of it. A peer held back by the window uses each grant one round trip after it went out, so such samples
 * all last about one RTT however large the window; a peer held back by anything else (its own source, the CPU, a
 * bandwidth cap) takes longer as the window grows. So the window doubles while a sample takes no longer than 1.25
 * times the shortest seen so far, and stops growing once a larger window no longer brings the samples in at the same
 * pace: the path's delay is covered. A window used up within {@link #SHORTEST_PATH_NANOS} never grows. A sample during which the consumer paused the stream never grows it: a window
 * only pays off where the data moves on at once, and where it does not, a larger window would only hold more of it.
 *
 * <p>Not thread-safe: one thread reports arrivals (MINA's, for the channel's session); {@link #consumerPaused} may
 * come from any thread.
 */
final class WindowSizing {

    /**
     * A window used up faster than this is not held back by the path: on loopback or a LAN the initial window already
     * covers the round trip (2 MiB per 10 ms is 200 MB/s), and growing it there would only let more data queue.
     */
    static final long SHORTEST_PATH_NANOS = 10_000_000L;

    private final long largest;
    private long received;
    private long sampleStart;
    private long sampleEnd = -1;
    private long fastest = Long.MAX_VALUE;
    private boolean pastFirst;
    private volatile boolean consumerPaused;

    /** @param largest the largest window this channel may grow to */
    WindowSizing(long largest) {
        this.largest = largest;
    }

    /**
     * Data arrived.
     *
     * @param length bytes that arrived
     * @param now    {@link System#nanoTime()}
     * @param credit what the peer may still send (the local window after this arrival)
     * @param window the window's current full size
     * @return the window to grow to, or 0 to keep it
     */
    long arrived(long length, long now, long credit, long window) {
        received += length;
        if (sampleEnd < 0) {
            startSample(now, credit, window);
            return 0;
        }
        if (received < sampleEnd) {
            return 0;
        }
        long elapsed = now - sampleStart;
        if (!pastFirst) {
            // the first sample measures how fast the peer sends what it was granted at the channel's open, which it
            // had all along: a burst, not a round trip
            pastFirst = true;
            startSample(now, credit, window);
            return 0;
        }
        boolean limitedByWindow = !consumerPaused && fastest != Long.MAX_VALUE && elapsed * 4 <= fastest * 5
                && elapsed >= SHORTEST_PATH_NANOS;
        fastest = Math.min(fastest, elapsed);
        startSample(now, credit, window);
        return limitedByWindow && window < largest ? Math.min(window * 2, largest) : 0;
    }

    /** More was granted (the window grew) after {@link #arrived} started a sample: the sample covers it too. */
    void granted(long bytes) {
        if (sampleEnd >= 0) {
            sampleEnd += bytes;
        }
    }

    /** The consumer paused the stream: this sample says nothing about the path. */
    void consumerPaused() {
        consumerPaused = true;
    }

    /**
     * A sample measures a whole window's grant: while much of the window is still held (not yet passed on, or its
     * adjustment not yet sent) none starts, or it would end after a fraction of a window and set a pace no full window
     * could match.
     */
    private void startSample(long now, long credit, long window) {
        if (credit < window / 2) {
            sampleEnd = -1;
            return;
        }
        sampleStart = now;
        sampleEnd = received + credit;
        consumerPaused = false;
    }
}
