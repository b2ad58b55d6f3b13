package io.alknet.cli;

import sun.misc.Signal;

/**
 * Process signals: SIGINT/SIGTERM stop gracefully (a JVM shutdown hook, so the process exits when the
 * work is done), SIGHUP triggers a configuration reload.
 */
final class Signals {

    private Signals() {
    }

    static void onTerminate(Runnable action) {
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("alknet-shutdown").unstarted(action));
    }

    static void onHangup(Runnable action) {
        try {
            Signal.handle(new Signal("HUP"), signal -> Thread.ofVirtual().start(action));
        } catch (IllegalArgumentException e) {
            // no SIGHUP on this platform
        }
    }
}
