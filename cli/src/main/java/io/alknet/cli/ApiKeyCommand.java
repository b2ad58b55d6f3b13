package io.alknet.cli;

import io.alknet.auth.apikey.ApiKeyEntry;
import io.alknet.auth.apikey.ApiKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code alknet apikey create|list|revoke}. */
@Command(name = "apikey",
        mixinStandardHelpOptions = true,
        description = {"Manage API keys for HTTP and raw-framing clients. The key file holds only salted hashes; a new key is",
                "printed once and can never be shown again. After a change, run 'alknet reload' (or send SIGHUP).", ""},
        subcommands = {ApiKeyCommand.Create.class, ApiKeyCommand.ListKeys.class, ApiKeyCommand.Revoke.class},
        footer = {"", "Examples:",
                "  alknet apikey create --file /etc/alknet/api_keys --scope relay:connect --ttl 30d --description \"CI runner\"",
                "  alknet apikey list --file /etc/alknet/api_keys",
                "  alknet apikey revoke --file /etc/alknet/api_keys alk_k7q2m9xw && alknet reload"})
final class ApiKeyCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = {"Create an API key, store its hash in FILE (created when missing, mode 0600) and print the key once.", ""})
    static final class Create implements Callable<Integer> {
        @Option(names = "--file", paramLabel = "FILE", required = true, description = "The API key file the server reads (--api-keys).")
        Path file;

        @Option(names = "--scope", paramLabel = "SCOPE", description = "A scope the key holds, repeatable (default: relay:connect).")
        List<String> scopes = List.of();

        @Option(names = "--ttl", paramLabel = "DURATION", description = "How long the key works, e.g. 30d or 12h (default: until revoked).")
        String ttl;

        @Option(names = "--description", paramLabel = "TEXT", description = "Who or what the key is for; shown in logs and 'list'.")
        String description = "";

        @Option(names = "--quota", paramLabel = "LIMITS", description = "Limits for the key's identity, e.g. "
                + "sessions=2,channels=8,bytes-per-day=20GB,rate=10MB/s (see docs/quotas.md; default: none).")
        String quota;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            var scopeSet = new LinkedHashSet<>(scopes.isEmpty() ? List.of("relay:connect") : scopes);
            io.alknet.api.policy.Quota limits;
            try {
                limits = quota == null ? io.alknet.api.policy.Quota.NONE : io.alknet.api.policy.Quota.parse(quota);
            } catch (IllegalArgumentException e) {
                throw new io.alknet.api.AlknetException(io.alknet.api.ErrorCode.INVALID_ARGUMENT, "--quota " + quota + ": " + e.getMessage());
            }
            ApiKeys.Created created = ApiKeys.create(file, scopeSet,
                    Optional.ofNullable(ttl).map(value -> Durations.parse("--ttl", value)), description, limits, Clock.systemUTC());
            PrintWriter out = spec.commandLine().getOut();
            out.println(created.key());
            out.flush();
            PrintWriter err = spec.commandLine().getErr();
            err.println("alknet: created " + created.entry().prefix() + " (scopes " + String.join(",", created.entry().scopes())
                    + created.entry().expiresAt().map(at -> ", expires " + at).orElse("")
                    + (limits.isNone() ? "" : ", quota " + limits) + ") in " + file);
            err.println("alknet: this is the only time the key is shown; store it now. Then: alknet reload");
            err.flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = {"List the keys in FILE (prefixes only; keys are never stored).", ""})
    static final class ListKeys implements Callable<Integer> {
        @Option(names = "--file", paramLabel = "FILE", required = true, description = "The API key file.")
        Path file;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            Instant now = Instant.now();
            out.printf("%-14s %-22s %-22s %-8s %s%n", "PREFIX", "CREATED", "EXPIRES", "STATE", "SCOPES / DESCRIPTION");
            for (ApiKeyEntry entry : ApiKeys.read(file)) {
                out.printf("%-14s %-22s %-22s %-8s %s%s%n", entry.prefix(), entry.createdAt(),
                        entry.expiresAt().map(Instant::toString).orElse("never"), entry.expired(now) ? "expired" : "active",
                        String.join(",", entry.scopes()), entry.description().isBlank() ? "" : " / " + entry.description());
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = {"Remove a key from FILE. It stops working at the server's next reload ('alknet reload').", ""})
    static final class Revoke implements Callable<Integer> {
        @Option(names = "--file", paramLabel = "FILE", required = true, description = "The API key file.")
        Path file;

        @Parameters(paramLabel = "PREFIX", description = "The key's prefix as 'list' shows it (alk_ and 8 characters), or the whole key.")
        String prefix;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            String wanted = ApiKeys.prefixOf(prefix.strip());
            if (!ApiKeys.revoke(file, wanted)) {
                spec.commandLine().getErr().println("alknet: no key with prefix " + wanted + " in " + file + " ('alknet apikey list --file "
                        + file + "' shows them)");
                spec.commandLine().getErr().flush();
                return ExitCodes.FAILED;
            }
            spec.commandLine().getOut().println("alknet: revoked " + wanted + "; run 'alknet reload' to apply it now");
            spec.commandLine().getOut().flush();
            return ExitCodes.OK;
        }
    }
}
