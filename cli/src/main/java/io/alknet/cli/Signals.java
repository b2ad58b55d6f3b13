package io.alknet.cli;

import sun.misc.Signal;
import sun.misc.SignalHandler;

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

    /**
     * Runs {@code action} on SIGHUP. Returns false when it cannot: the process inherited SIGHUP as ignored (started
     * under {@code nohup}), which the JVM respects by installing nothing, or the platform has no SIGHUP.
     */
    static boolean onHangup(Runnable action) {
        try {
            return Signal.handle(new Signal("HUP"), signal -> Thread.ofVirtual().start(action)) != SignalHandler.SIG_IGN;
        } catch (IllegalArgumentException e) {
            return false; // no SIGHUP on this platform
        }
    }
}
