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
        footer = {"", "Examples:", "  alknet keygen -f ~/.alknet/id_ed25519", "  alknet keygen -f host_key -C my-server",
                "  alknet keygen -f host_key --from-seed --seed-path \"m/74'/0'/1'/0'\"   # the host key 'serve --host-key-from-seed' uses"})
final class KeygenCommand implements Callable<Integer> {

    @Option(names = "-f", paramLabel = "FILE", required = true, description = "Private key file to create (the public key goes to FILE.pub).")
    Path file;

    @Option(names = "-C", paramLabel = "COMMENT", description = "Comment stored with the key (default: user@alknet).")
    String comment;

    @Option(names = "--from-seed",
            description = "Derive the key from the seed ('alknet secret init') instead of generating one: the Ed25519 key at --seed-path. "
                    + "Asks for the seed file's passphrase (or --passphrase-file).")
    boolean fromSeed;

    @Option(names = "--seed-path", paramLabel = "PATH",
            description = "With --from-seed: the derivation path (default: m/74'/0'/0'/0', the identity; m/74'/0'/1'/0' is the SSH host key).")
    String seedPath;

    @Option(names = "--passphrase-file", paramLabel = "FILE", description = "With --from-seed: read the seed file's passphrase from FILE.")
    Path passphraseFile;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "With --from-seed: the state directory holding the seed (default: ~/.alknet, or $ALKNET_STATE_DIR).")
    Path stateDirectory;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws java.io.IOException {
        String label = comment != null ? comment : System.getProperty("user.name", "alknet") + "@alknet";
        if (!fromSeed && (seedPath != null || passphraseFile != null || stateDirectory != null)) {
            throw new io.alknet.api.AlknetException(io.alknet.api.ErrorCode.INVALID_ARGUMENT,
                    "--seed-path, --passphrase-file and --state-dir go with --from-seed");
        }
        KeyPair pair;
        if (fromSeed) {
            pair = SeedKeys.derive(stateDirectory, seedPath == null ? io.alknet.secret.KeyPaths.IDENTITY.toString() : seedPath,
                    passphraseFile, "--seed-path");
            OpenSshKeys.write(file, pair, label);
        } else {
            pair = OpenSshKeys.generate(file, label);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("Wrote private key " + file + " and public key " + file + ".pub");
        out.println("Fingerprint: " + OpenSshKeys.fingerprint(pair.getPublic()));
        out.println(OpenSshKeys.publicKeyLine(pair.getPublic(), label));
        out.flush();
        return ExitCodes.OK;
    }
}
