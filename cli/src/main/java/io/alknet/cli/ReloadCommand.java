package io.alknet.cli;

import io.alknet.kernel.Alknet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code alknet reload}. */
@Command(name = "reload",
        mixinStandardHelpOptions = true,
        description = {"Ask the running 'alknet serve' to re-read its configuration file, authorized keys, CA keys, API keys and",
                "policy, without a restart. A bad file is refused whole: the server keeps its configuration and this command",
                "prints why and exits 1. Sessions whose key was removed are closed.", ""},
        footer = {"", "The request goes through the server's admin socket, STATE-DIR/admin.sock (only the server's user may use it).",
                "SIGHUP does the same: kill -HUP $(pidof alknet)", "",
                "Examples:", "  alknet reload", "  alknet reload --state-dir /var/lib/alknet"})
final class ReloadCommand implements Callable<Integer> {

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "The server's state directory (default: ~/.alknet, or $ALKNET_STATE_DIR).")
    Path stateDirectory;

    @Option(names = "--socket", paramLabel = "FILE", description = "The admin socket, when not STATE-DIR/admin.sock.")
    Path socket;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path path = socket != null ? socket
                : AdminSocket.path(stateDirectory != null ? stateDirectory : Alknet.defaultStateDirectory());
        if (!Files.exists(path)) {
            err.println("alknet: no running server found: " + path + " does not exist (is 'alknet serve' running with this "
                    + "--state-dir? For a server started with another one, pass it here too)");
            err.flush();
            return ExitCodes.FAILED;
        }
        String reply;
        try {
            reply = AdminSocket.request(path, "reload");
        } catch (IOException e) {
            err.println("alknet: cannot reach the server at " + path + ": " + e.getMessage());
            err.flush();
            return ExitCodes.FAILED;
        }
        if (reply.startsWith("ok")) {
            out.println("alknet: reloaded (" + reply.substring(2).strip() + ")");
            out.flush();
            return ExitCodes.OK;
        }
        err.println("alknet: reload refused, the server keeps its previous configuration: "
                + (reply.startsWith("error ") ? reply.substring(6) : reply));
        err.flush();
        return ExitCodes.FAILED;
    }
}
