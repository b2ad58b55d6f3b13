package io.alknet.cli;

import picocli.CommandLine;

/**
 * Runs the {@code alknet} command. Exit codes: 0 success, 1 the command failed (configuration,
 * connection, authentication), 2 bad usage (unknown flag, malformed value), 130 interrupted.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code (tests call this in-process). */
    public static int run(String... args) {
        Logging.configureFromArguments(args);
        CommandLine commandLine = new CommandLine(new AlknetCommand());
        commandLine.setExecutionExceptionHandler(new ErrorHandler());
        commandLine.setParameterExceptionHandler(new ErrorHandler());
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        return commandLine.execute(args);
    }
}
