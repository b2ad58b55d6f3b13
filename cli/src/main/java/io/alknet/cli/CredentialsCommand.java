package io.alknet.cli;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.kernel.Alknet;
import io.alknet.secret.CredentialCodec;
import io.alknet.secret.CredentialStore;
import io.alknet.secret.SecretException;
import io.alknet.secret.SecretService;
import io.alknet.secret.SeedFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code alknet credentials add|list|remove}: the outbound credentials the secret service keeps encrypted. */
@Command(name = "credentials",
        mixinStandardHelpOptions = true,
        description = {"Manage outbound credentials (API keys, basic, bearer, S3, OIDC, custom) that operation handlers present to other",
                "services. They are stored encrypted by the seed's encryption key in STATE_DIR/secret/credentials and decrypted",
                "into memory only while the server's secret service is unlocked (docs/secret.md).", ""},
        subcommands = {CredentialsCommand.Add.class, CredentialsCommand.ListCredentials.class, CredentialsCommand.Remove.class},
        footer = {"", "Examples:",
                "  printf 'type=bearer\\ntoken=%%s\\n' \"$TOKEN\" > billing.cred",
                "  alknet credentials add billing-api --from-file billing.cred && rm billing.cred",
                "  alknet credentials list",
                "  alknet credentials remove billing-api",
                "",
                "Fields per type: api-key (header, token), basic (username, password), bearer (token), s3 (access_key, secret_key,",
                "session_token), oidc (access_token, refresh_token, expires_at), custom (scheme, param.NAME...)."})
final class CredentialsCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    static final class StateDirectory {
        @Option(names = "--state-dir", paramLabel = "DIR",
                description = "The state directory holding the seed and the store (default: ~/.alknet, or $ALKNET_STATE_DIR).")
        Path directory;

        Path resolve() {
            return directory != null ? directory : Alknet.defaultStateDirectory();
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Encrypt the credential in FILE (key=value lines: type=… and that type's fields) for SERVICE, replacing what",
                    "SERVICE had. Asks for the seed file's passphrase. A running server sees it at its next unlock or refresh.", ""})
    static final class Add implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "SERVICE", description = "The service the credential is for, e.g. billing-api.")
        String service;

        @Option(names = "--from-file", paramLabel = "FILE", required = true,
                description = "The credential as key=value lines, e.g. 'type=bearer' and 'token=…' (delete the file afterwards).")
        Path file;

        @Option(names = "--key-version", paramLabel = "N", defaultValue = "0",
                description = "The encryption key version to use (default: ${DEFAULT-VALUE}).")
        int keyVersion;

        @Mixin
        StateDirectory state;

        @Mixin
        SecretCommand.PassphraseSource passphrase;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            Path stateDirectory = state.resolve();
            try {
                CredentialStore.requireServiceName(service);
                var set = CredentialCodec.fromFields(fields(file));
                char[] secret = passphrase.read(false);
                try (SecretService secrets = new SecretService(SeedFile.in(stateDirectory), Clock.systemUTC(), Duration.ZERO, new SecureRandom())) {
                    secrets.unlock(secret);
                    CredentialStore.in(stateDirectory).put(service, set, secrets, keyVersion);
                } finally {
                    SecretInput.wipe(secret);
                }
                PrintWriter out = spec.commandLine().getOut();
                out.println("alknet: stored the " + CredentialCodec.type(set) + " credential of " + service + " in "
                        + CredentialStore.in(stateDirectory).file());
                out.flush();
                return ExitCodes.OK;
            } catch (SecretException e) {
                throw SecretInput.failure(e);
            }
        }

        private static Map<String, String> fields(Path file) throws IOException {
            if (!Files.isRegularFile(file)) {
                throw new AlknetException(ErrorCode.INVALID_ARGUMENT, "the credential file " + file + " does not exist");
            }
            Map<String, String> fields = new LinkedHashMap<>();
            int number = 0;
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                number++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                int eq = line.indexOf('=');
                if (eq <= 0) {
                    throw new AlknetException(ErrorCode.INVALID_ARGUMENT, "line " + number + " of " + file + " is not key=value");
                }
                fields.put(line.substring(0, eq).strip(), line.substring(eq + 1));
            }
            return fields;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = {"List the stored credentials: service, type and key version (never a secret; no passphrase needed).", ""})
    static final class ListCredentials implements Callable<Integer> {
        @Mixin
        StateDirectory state;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            out.printf("%-32s %-8s %s%n", "SERVICE", "TYPE", "KEY_VERSION");
            try {
                for (CredentialStore.Entry entry : CredentialStore.in(state.resolve()).entries()) {
                    out.printf("%-32s %-8s %d%n", entry.service(), entry.type(), entry.data().keyVersion());
                }
            } catch (SecretException e) {
                throw SecretInput.failure(e);
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = {"Remove SERVICE's credential from the store (no passphrase needed).", ""})
    static final class Remove implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "SERVICE", description = "The service, as 'list' shows it.")
        String service;

        @Mixin
        StateDirectory state;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            try {
                if (!CredentialStore.in(state.resolve()).remove(service)) {
                    spec.commandLine().getErr().println("alknet: no credential for " + service + " ('alknet credentials list' shows them)");
                    spec.commandLine().getErr().flush();
                    return ExitCodes.FAILED;
                }
            } catch (SecretException e) {
                throw SecretInput.failure(e);
            }
            spec.commandLine().getOut().println("alknet: removed the credential of " + service);
            spec.commandLine().getOut().flush();
            return ExitCodes.OK;
        }
    }
}
