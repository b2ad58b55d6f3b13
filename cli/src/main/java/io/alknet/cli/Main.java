package io.alknet.cli;

import io.alknet.kernel.Alknet;
import picocli.CommandLine;

import java.util.Optional;

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
        CommandLine commandLine = commandLine();
        commandLine.setExecutionExceptionHandler(new ErrorHandler());
        commandLine.setParameterExceptionHandler(new ErrorHandler());
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        return commandLine.execute(args);
    }

    /**
     * The {@code alknet} command with the flags the built-in plugins declare added to {@code serve}. Plugins from
     * {@code --plugin-dir} take their settings through {@code --set} and the configuration file.
     */
    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new AlknetCommand());
        // the help texts are written for 120 columns; a terminal's own width wins when there is one
        commandLine.setUsageHelpWidth(120);
        commandLine.setUsageHelpAutoWidth(true);
        ServeCommand.declare(commandLine.getSubcommands().get("serve"), Alknet.discover(Optional.empty()));
        return commandLine;
    }
}
