package io.alknet.cli;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.storage.Accounts;
import io.alknet.storage.PeerCredential;
import io.alknet.storage.Storage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code alknet credential add|list|revoke}. */
@Command(name = "credential",
        mixinStandardHelpOptions = true,
        description = {"Manage the SSH keys and API keys accounts log in with, in the server's storage (alknet serve --storage).",
                "A revocation refuses the next login and closes the credential's live sessions within a second.", ""},
        subcommands = {CredentialCommand.Add.class, CredentialCommand.ListCredentials.class, CredentialCommand.Revoke.class},
        footer = {"", "Examples:",
                "  alknet credential add alice@example.org --key ~/.ssh/id_ed25519.pub --storage ./state/alknet.db",
                "  alknet credential add ci@example.org --api-key --name \"CI runner\" --ttl 30d --storage ./state/alknet.db",
                "  alknet credential revoke SHA256:abc... --reason \"laptop lost\" --storage ./state/alknet.db"})
final class CredentialCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = {"Give an account an SSH public key (--key) or a new API key (--api-key, printed once).", ""})
    static final class Add implements Callable<Integer> {
        @Parameters(paramLabel = "ACCOUNT", description = "The account's e-mail address or id.")
        String account;

        @Option(names = "--key", paramLabel = "FILE", description = "An OpenSSH public key file (ssh-ed25519), e.g. id_ed25519.pub.")
        Path key;

        @Option(names = "--api-key", description = "Create an API key instead, for HTTP and raw-framing clients.")
        boolean apiKey;

        @Option(names = "--name", paramLabel = "NAME", description = "What the credential is (default: the key's comment).")
        String name;

        @Option(names = "--scope", paramLabel = "SCOPE", description = "Narrow the account's scopes for this credential, repeatable.")
        List<String> scopes = List.of();

        @Option(names = "--ttl", paramLabel = "DURATION", description = "How long it works, e.g. 30d or 12h (default: until revoked).")
        String ttl;

        @Mixin
        StorageCommandOptions storage;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            if ((key == null) == !apiKey) {
                throw new AlknetException(ErrorCode.INVALID_ARGUMENT, "give exactly one of --key FILE and --api-key");
            }
            Optional<java.util.Set<String>> narrowing = scopes.isEmpty() ? Optional.empty() : Optional.of(new LinkedHashSet<>(scopes));
            Optional<java.time.Duration> lifetime = Optional.ofNullable(ttl).map(value -> Durations.parse("--ttl", value));
            PrintWriter out = spec.commandLine().getOut();
            try (Storage opened = storage.open()) {
                if (apiKey) {
                    Accounts.CreatedApiKey created = opened.accounts().createApiKey(account, name == null ? "" : name, narrowing, lifetime);
                    out.println(created.key());
                    out.flush();
                    spec.commandLine().getErr().println("alknet: created " + created.stored().prefix()
                            + "; this is the only time the key is shown, store it now");
                    spec.commandLine().getErr().flush();
                    return ExitCodes.OK;
                }
                String line = Files.readString(key, StandardCharsets.UTF_8).strip();
                PeerCredential added = opened.accounts().addSshKey(account, line, Optional.ofNullable(name), narrowing, lifetime);
                out.println(added.fingerprint());
                out.flush();
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = {"List an account's SSH keys.", ""})
    static final class ListCredentials implements Callable<Integer> {
        @Parameters(paramLabel = "ACCOUNT", description = "The account's e-mail address or id.")
        String account;

        @Mixin
        StorageCommandOptions storage;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            long now = Instant.now().getEpochSecond();
            return StorageCommands.printing(storage, spec, opened -> StorageCommands.table("%-52s %-8s %s",
                    opened.accounts().listCredentials(account).stream().map(credential -> new Object[] {credential.fingerprint(),
                            credential.revokedAt().isPresent() ? "revoked" : !credential.enabled() ? "disabled"
                                    : credential.expiresAt().filter(at -> at <= now).isPresent() ? "expired" : "active",
                            credential.name()}).toList(), "FINGERPRINT", "STATE", "NAME"));
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = {"Revoke an SSH key (by fingerprint) or an API key (by prefix). The next login with it is refused and a",
                    "running server closes its sessions within a second. The audit log records who and why.", ""})
    static final class Revoke implements Callable<Integer> {
        @Parameters(paramLabel = "CREDENTIAL", description = "SHA256:… fingerprint as 'list' shows it, or an API key prefix (alk_…).")
        String credential;

        @Option(names = "--reason", paramLabel = "TEXT", description = "Why, for the audit log.")
        String reason = "";

        @Mixin
        StorageCommandOptions storage;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            String wanted = credential.strip();
            try (Storage opened = storage.open()) {
                boolean revoked = wanted.startsWith("alk_")
                        ? opened.accounts().revokeApiKey(wanted.length() > 12 ? wanted.substring(0, 12) : wanted, reason)
                        : opened.accounts().revokeCredential(wanted, reason);
                if (!revoked) {
                    spec.commandLine().getErr().println("alknet: no active credential " + wanted + " ('alknet credential list ACCOUNT' shows them)");
                    spec.commandLine().getErr().flush();
                    return ExitCodes.FAILED;
                }
                spec.commandLine().getOut().println("alknet: revoked " + wanted);
                spec.commandLine().getOut().flush();
                return ExitCodes.OK;
            }
        }
    }
}
