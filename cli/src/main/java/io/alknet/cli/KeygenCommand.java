package io.alknet.cli;

import io.alknet.interfaces.ssh.OpenSshKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.concurrent.Callable;

/** {@code alknet keygen}. */
@Command(name = "keygen",
        mixinStandardHelpOptions = true,
        description = {"Create an Ed25519 key pair in OpenSSH format (FILE and FILE.pub; ssh-keygen reads both).", ""},
        footer = {"", "Examples:", "  alknet keygen -f ~/.alknet/id_ed25519", "  alknet keygen -f host_key -C my-server"})
final class KeygenCommand implements Callable<Integer> {

    @Option(names = "-f", paramLabel = "FILE", required = true, description = "Private key file to create (the public key goes to FILE.pub).")
    Path file;

    @Option(names = "-C", paramLabel = "COMMENT", description = "Comment stored with the key (default: user@alknet).")
    String comment;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        String label = comment != null ? comment : System.getProperty("user.name", "alknet") + "@alknet";
        KeyPair pair = OpenSshKeys.generate(file, label);
        PrintWriter out = spec.commandLine().getOut();
        out.println("Wrote private key " + file + " and public key " + file + ".pub");
        out.println("Fingerprint: " + OpenSshKeys.fingerprint(pair.getPublic()));
        out.println(OpenSshKeys.publicKeyLine(pair.getPublic(), label));
        out.flush();
        return ExitCodes.OK;
    }
}
