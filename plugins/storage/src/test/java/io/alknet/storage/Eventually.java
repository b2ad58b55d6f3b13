package io.alknet.storage;

import java.time.Duration;

/** Retries an assertion about something another thread does (an audit row written in the background) until it holds. */
final class Eventually {

    private Eventually() {
    }

    static void holds(Duration within, Runnable assertion) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            try {
                assertion.run();
                return;
            } catch (AssertionError e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(20);
            }
        }
    }
}
