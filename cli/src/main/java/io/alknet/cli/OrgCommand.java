package io.alknet.cli;

import io.alknet.storage.Organization;
import io.alknet.storage.Storage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code alknet org add|list|add-member|remove-member}. */
@Command(name = "org",
        mixinStandardHelpOptions = true,
        description = {"Manage organisations in the server's storage (alknet serve --storage). Every member of an organisation",
                "holds its scopes, besides the account's own.", ""},
        subcommands = {OrgCommand.Add.class, OrgCommand.ListOrgs.class, OrgCommand.AddMember.class, OrgCommand.RemoveMember.class},
        footer = {"", "Examples:",
                "  alknet org add ops --name \"Operations\" --owner bob@example.org --scope metrics:read --storage ./state/alknet.db",
                "  alknet org add-member ops alice@example.org --storage ./state/alknet.db"})
final class OrgCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = {"Create an organisation; its owner is its first member.", ""})
    static final class Add implements Callable<Integer> {
        @Parameters(paramLabel = "SLUG", description = "Its short name: lowercase letters, digits and '-'.")
        String slug;

        @Option(names = "--name", paramLabel = "NAME", required = true, description = "Its full name, unique.")
        String name;

        @Option(names = "--owner", paramLabel = "ACCOUNT", required = true, description = "The owning account's e-mail address or id.")
        String owner;

        @Option(names = "--scope", paramLabel = "SCOPE", description = "A scope every member holds, repeatable.")
        List<String> scopes = List.of();

        @Mixin
        StorageCommandOptions storage;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            return StorageCommands.printing(storage, spec,
                    opened -> opened.accounts().createOrganization(name, slug, owner, new LinkedHashSet<>(scopes)).id());
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = {"List the organisations.", ""})
    static final class ListOrgs implements Callable<Integer> {
        @Mixin
        StorageCommandOptions storage;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            return StorageCommands.printing(storage, spec, opened -> StorageCommands.table("%-36s %-20s %-30s %s",
                    opened.accounts().listOrganizations().stream().map(org -> new Object[] {org.id(), org.slug(), org.name(),
                            String.join(",", org.scopes())}).toList(), "ID", "SLUG", "NAME", "SCOPES"));
        }
    }

    @Command(name = "add-member", mixinStandardHelpOptions = true, description = {"Add an account to an organisation.", ""})
    static final class AddMember implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "ORG", description = "The organisation's slug or id.")
        String org;

        @Parameters(index = "1", paramLabel = "ACCOUNT", description = "The account's e-mail address or id.")
        String account;

        @Option(names = "--level", paramLabel = "LEVEL", description = "member (default), admin or owner.")
        String level = "member";

        @Mixin
        StorageCommandOptions storage;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            Organization.MembershipLevel membership = StorageCommands.choice(Organization.MembershipLevel.class, level, "--level");
            return StorageCommands.printing(storage, spec, opened -> {
                opened.accounts().addMember(org, account, membership);
                return "alknet: " + account + " is a member of " + org;
            });
        }
    }

    @Command(name = "remove-member", mixinStandardHelpOptions = true,
            description = {"Remove an account from an organisation; its sessions lose the organisation's scopes within a second.", ""})
    static final class RemoveMember implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "ORG", description = "The organisation's slug or id.")
        String org;

        @Parameters(index = "1", paramLabel = "ACCOUNT", description = "The account's e-mail address or id.")
        String account;

        @Mixin
        StorageCommandOptions storage;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            try (Storage opened = storage.open()) {
                if (!opened.accounts().removeMember(org, account)) {
                    spec.commandLine().getErr().println("alknet: " + account + " is not a member of " + org);
                    spec.commandLine().getErr().flush();
                    return ExitCodes.FAILED;
                }
                spec.commandLine().getOut().println("alknet: removed " + account + " from " + org);
                spec.commandLine().getOut().flush();
                return ExitCodes.OK;
            }
        }
    }
}
