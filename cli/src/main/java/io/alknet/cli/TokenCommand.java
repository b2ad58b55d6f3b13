package io.alknet.cli;

import io.alknet.api.identity.AuthToken;
import io.alknet.interfaces.ssh.OpenSshKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.concurrent.Callable;

/** {@code alknet token}. */
@Command(name = "token",
        mixinStandardHelpOptions = true,
        description = {"Print a signed token for HTTP and raw-framing clients (Authorization: Bearer TOKEN), made with your",
                "Ed25519 key. The server accepts it when the key is in its authorized keys, for 5 minutes either side of its",
                "clock; make a fresh one per request or session.", ""},
        footer = {"", "Examples:",
                "  TOKEN=$(alknet token -i ~/.alknet/id_ed25519)",
                "  curl -H \"Authorization: Bearer $TOKEN\" -d '{}' http://127.0.0.1:8080/v1/call/health/ping",
                "  (a server started with --http 127.0.0.1:8080; on a stealth TLS port: https://HOST/v1/call/health/ping)"})
final class TokenCommand implements Callable<Integer> {

    @Option(names = {"-i", "--identity"}, paramLabel = "FILE", required = true, description = "Your private key (OpenSSH format, Ed25519).")
    Path identity;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        KeyPair key = OpenSshKeys.load(identity);
        AuthToken token = AuthToken.sign(OpenSshKeys.publicKeyBlob(key.getPublic()), key.getPrivate(), Instant.now());
        spec.commandLine().getOut().println(token.encode());
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
