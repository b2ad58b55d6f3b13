package io.alknet.integration;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;

import java.util.ArrayList;
import java.util.List;

/** Keeps every formatted log line of the test JVM so tests can assert on what was (not) logged. */
public final class LogCapture extends AppenderBase<ILoggingEvent> {

    /** Appended to on every log line: a copy-on-write list made that quadratic (a soak spent its CPU there). */
    private static final List<String> LINES = new ArrayList<>();

    @Override
    protected void append(ILoggingEvent event) {
        StringBuilder line = new StringBuilder(event.getLevel() + " " + event.getLoggerName() + " " + event.getFormattedMessage());
        if (event.getThrowableProxy() != null) {
            line.append(" ").append(event.getThrowableProxy().getClassName()).append(": ").append(event.getThrowableProxy().getMessage());
        }
        synchronized (LINES) {
            LINES.add(line.toString());
        }
    }

    public static List<String> lines() {
        synchronized (LINES) {
            return new ArrayList<>(LINES);
        }
    }

    public static List<String> matching(String needle) {
        return lines().stream().filter(line -> line.contains(needle)).toList();
    }

    /**
     * The lines containing {@code needle} once one contains {@code until} too, waiting up to 20 s: some lines are
     * written when the server notices a connection ended, a moment after the client has exited.
     */
    public static List<String> awaitMatching(String needle, String until) throws InterruptedException {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
        while (matching(needle).stream().noneMatch(line -> line.contains(until)) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return matching(needle);
    }

    public static void clear() {
        synchronized (LINES) {
            LINES.clear();
        }
    }
}
