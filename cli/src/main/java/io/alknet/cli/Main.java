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
        CommandLine commandLine = commandLine(args);
        commandLine.setExecutionExceptionHandler(new ErrorHandler());
        commandLine.setParameterExceptionHandler(new ErrorHandler());
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        return commandLine.execute(args);
    }

    /** The whole {@code alknet} command, every subcommand built (for help and tests). */
    static CommandLine commandLine() {
        return commandLine(new String[0]);
    }

    /**
     * The {@code alknet} command for {@code args}: when they name a subcommand, only that one is built (picocli builds
     * each model by reflection: all of them took ~150 ms of every start); otherwise all are, so help and picocli's
     * "did you mean" see every command. {@code serve} gets the flags the built-in plugins declare (discovering them
     * takes ~200 ms more, so only for {@code serve}). Plugins from {@code --plugin-dir} take their settings through
     * {@code --set} and the configuration file.
     */
    static CommandLine commandLine(String... args) {
        CommandLine commandLine = new CommandLine(new AlknetCommand());
        Optional<Class<?>> invoked = invoked(args);
        for (Class<?> command : AlknetCommand.COMMANDS) {
            if (invoked.isEmpty() || invoked.get() == command) {
                commandLine.addSubcommand(command);
            }
        }
        CommandLine serve = commandLine.getSubcommands().get("serve");
        if (serve != null) {
            ServeCommand.declare(serve, Alknet.discover(Optional.empty()));
        }
        // after the subcommands: picocli applies a setting to those that exist when it is set.
        // The help texts are written for 120 columns; a terminal's own width wins when there is one.
        commandLine.setUsageHelpWidth(120);
        commandLine.setUsageHelpAutoWidth(true);
        return commandLine;
    }

    /** The subcommand {@code args} invoke: their first word that is not an option, if it names one. */
    private static Optional<Class<?>> invoked(String[] args) {
        for (String arg : args) {
            if (!arg.startsWith("-")) {
                return AlknetCommand.COMMANDS.stream().filter(command -> AlknetCommand.name(command).equals(arg)).findFirst();
            }
        }
        return Optional.empty();
    }
}
