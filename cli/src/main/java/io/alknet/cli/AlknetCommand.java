package io.alknet.cli;

import picocli.CommandLine.Command;

import java.util.List;

/** The top-level command. */
@Command(name = "alknet",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = {"Secure tunnels: SSH sessions over pluggable transports, with port forwards, and a call protocol for operations.", ""},
        footer = {"", "Exit codes: 0 success, 1 failure (configuration, connection, authentication), 2 bad usage, 130 interrupted.",
                "Run 'alknet COMMAND --help' for the flags of a command."})
final class AlknetCommand implements Runnable {

    /**
     * The subcommands, in the order help lists them. {@link Main#commandLine(String...)} adds them (picocli builds each
     * one's model by reflection, so a run builds only the one it invokes).
     */
    static final List<Class<?>> COMMANDS = List.of(ServeCommand.class, ConnectCommand.class, CallCommand.class, OpsCommand.class,
            FlowCommand.class, ReloadCommand.class, KeygenCommand.class, ApiKeyCommand.class, SecretCommand.class,
            CredentialsCommand.class, AccountCommand.class, OrgCommand.class, CredentialCommand.class, TokenCommand.class,
            PluginsCommand.class, PolicyCommand.class, DemoCommand.class);

    /** The name {@code command} is invoked by. */
    static String name(Class<?> command) {
        return command.getAnnotation(Command.class).name();
    }

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
