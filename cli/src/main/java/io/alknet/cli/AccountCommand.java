package io.alknet.cli;

import io.alknet.storage.Account;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code alknet account add|list|suspend|activate}. */
@Command(name = "account",
        mixinStandardHelpOptions = true,
        description = {"Manage the accounts in the server's storage (alknet serve --storage). An account logs in with the SSH keys",
                "and API keys 'alknet credential' gives it; a running server applies every change within a second.", ""},
        subcommands = {AccountCommand.Add.class, AccountCommand.ListAccounts.class, AccountCommand.Suspend.class, AccountCommand.Activate.class},
        footer = {"", "Examples:",
                "  alknet account add alice@example.org --name Alice --scope relay:connect --storage ./state/alknet.db",
                "  alknet account list --storage ./state/alknet.db",
                "  alknet account suspend alice@example.org --storage ./state/alknet.db"})
final class AccountCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = {"Create an account.", ""})
    static final class Add implements Callable<Integer> {
        @Parameters(paramLabel = "EMAIL", description = "The account's e-mail address, unique.")
        String email;

        @Option(names = "--name", paramLabel = "NAME", description = "The name shown in logs.")
        String name = "";

        @Option(names = "--scope", paramLabel = "SCOPE", description = "A scope the account holds, repeatable (default: relay:connect).")
        List<String> scopes = List.of();

        @Option(names = "--access-level", paramLabel = "LEVEL", description = "user (default), admin or service.")
        String accessLevel = "user";

        @Mixin
        StorageCommandOptions storage;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            Account.AccessLevel level = StorageCommands.choice(Account.AccessLevel.class, accessLevel, "--access-level");
            return StorageCommands.printing(storage, spec, opened -> opened.accounts().createAccount(email, name, level,
                    new LinkedHashSet<>(scopes.isEmpty() ? List.of("relay:connect") : scopes)).id());
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = {"List the accounts.", ""})
    static final class ListAccounts implements Callable<Integer> {
        @Mixin
        StorageCommandOptions storage;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            return StorageCommands.printing(storage, spec, opened -> StorageCommands.table("%-36s %-30s %-8s %-11s %s",
                    opened.accounts().listAccounts().stream().map(account -> new Object[] {account.id(), account.email(),
                            lower(account.accessLevel()), lower(account.status()), String.join(",", account.scopes())
                            + (account.displayName().isBlank() ? "" : " / " + account.displayName())}).toList(),
                    "ID", "EMAIL", "LEVEL", "STATUS", "SCOPES / NAME"));
        }
    }

    @Command(name = "suspend", mixinStandardHelpOptions = true,
            description = {"Suspend an account: it can no longer log in, and a running server closes its sessions within a second.", ""})
    static final class Suspend implements Callable<Integer> {
        @Parameters(paramLabel = "ACCOUNT", description = "The account's e-mail address or id.")
        String account;

        @Mixin
        StorageCommandOptions storage;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            return StorageCommands.setStatus(storage, account, Account.Status.SUSPENDED, spec);
        }
    }

    @Command(name = "activate", mixinStandardHelpOptions = true, description = {"Let a suspended account log in again.", ""})
    static final class Activate implements Callable<Integer> {
        @Parameters(paramLabel = "ACCOUNT", description = "The account's e-mail address or id.")
        String account;

        @Mixin
        StorageCommandOptions storage;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            return StorageCommands.setStatus(storage, account, Account.Status.ACTIVE, spec);
        }
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
