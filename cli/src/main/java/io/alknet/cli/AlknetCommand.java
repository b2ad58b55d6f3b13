package io.alknet.cli;

import picocli.CommandLine.Command;

/** The top-level command. */
@Command(name = "alknet",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = {"Secure tunnels: SSH sessions over pluggable transports, with port forwards, and a call protocol for operations.", ""},
        subcommands = {ServeCommand.class, ConnectCommand.class, CallCommand.class, OpsCommand.class, FlowCommand.class, ReloadCommand.class, KeygenCommand.class, ApiKeyCommand.class, SecretCommand.class, CredentialsCommand.class,
                AccountCommand.class, OrgCommand.class, CredentialCommand.class,
                TokenCommand.class, PluginsCommand.class,
                PolicyCommand.class, DemoCommand.class},
        footer = {"", "Exit codes: 0 success, 1 failure (configuration, connection, authentication), 2 bad usage, 130 interrupted.",
                "Run 'alknet COMMAND --help' for the flags of a command."})
final class AlknetCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
