package io.alknet.cli;

import org.slf4j.bridge.SLF4JBridgeHandler;

import java.util.Set;

/**
 * Picks the log level from the command line before anything logs: {@code --debug} (DEBUG, stack
 * traces), {@code -v}/{@code --verbose} (DEBUG), {@code -q}/{@code --quiet} (WARN), else INFO.
 */
final class Logging {

    private static boolean debug;

    private Logging() {
    }

    static void configureFromArguments(String[] args) {
        Set<String> flags = new java.util.HashSet<>(java.util.Arrays.asList(args));
        String level = "INFO";
        if (flags.contains("--debug") || flags.contains("-v") || flags.contains("--verbose")) {
            level = "DEBUG";
        } else if (flags.contains("-q") || flags.contains("--quiet")) {
            level = "WARN";
        } else if (args.length > 0 && args[0].equals("demo")) {
            level = "WARN"; // the demo narrates its own steps
        }
        debug = flags.contains("--debug");
        if (System.getProperty("alknet.log.level") == null) {
            System.setProperty("alknet.log.level", level);
        }
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
    }

    static boolean debug() {
        return debug;
    }
}
