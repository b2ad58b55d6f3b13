package io.alknet.cli;

import io.alknet.api.plugin.SettingSpec;
import io.alknet.cli.testplugin.SecretDeclaringPlugin;
import io.alknet.kernel.Alknet;
import io.alknet.kernel.ExtensionKind;
import io.alknet.kernel.PluginCatalog;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Every flag is documented; {@code serve}'s plugin flags come from the declarations; no secret's default is shown. */
class HelpTest {

    @Test
    void everyConnectFlagHasADescriptionWithAnExample() {
        CommandLine connect = Main.commandLine().getSubcommands().get("connect");
        for (OptionSpec option : connect.getCommandSpec().options()) {
            if (option.usageHelp() || option.versionHelp()) {
                continue;
            }
            String description = String.join(" ", option.description());
            assertThat(description).as(option.longestName()).isNotBlank().containsAnyOf("e.g.", "Example");
        }
        assertThat(String.join(" ", connect.getCommandSpec().positionalParameters().getFirst().description())).contains("e.g.");
    }

    @Test
    void everyCommandAndSubcommandDescribesItselfAndEveryFlag() {
        assertDocumented(Main.commandLine());
    }

    /**
     * Every flag a plugin declares is a serve option, described by its declaration (with the key it sets), and none of
     * them is written in ServeCommand: its own options are the listeners, the limits, the grace period and the common ones.
     */
    @Test
    void serveOffersEveryDeclaredFlagAndWritesNoneOfThemItself() {
        PluginCatalog catalog = Alknet.discover(Optional.empty());
        CommandLine serve = Main.commandLine().getSubcommands().get("serve");
        List<String> declared = new ArrayList<>();
        for (ExtensionKind<?> kind : ExtensionKind.ALL) {
            catalog.contributions().get(kind).forEach((name, contribution) -> contribution.settings().ifPresent(settings -> {
                for (SettingSpec setting : settings) {
                    setting.flag().ifPresent(flag -> {
                        declared.addAll(flag.names());
                        OptionSpec option = serve.getCommandSpec().findOption(flag.names().getFirst());
                        assertThat(option).as("serve option %s", flag.names().getFirst()).isNotNull();
                        assertThat(String.join(" ", option.description())).contains(setting.help().strip())
                                .contains("Sets " + kind.settingsPrefix(name) + setting.name());
                    });
                }
            }));
        }
        assertThat(declared).as("flags the built-in plugins declare").contains("--host-key", "--key", "--authorized-keys",
                "--cert-authority", "--trusted-user-ca-keys", "--api-keys", "--policy", "--proxy", "--tls-cert", "--tls-key",
                "--acme-domain", "--acme-directory", "--acme-ca", "--acme-email", "--acme-http-port", "--acme-challenge", "--stealth", "--decoy-dir",
                "--cipher", "--gateway-ports", "--http", "--iroh-relay", "--metrics");
        Set<String> written = new HashSet<>();
        for (Class<?> type = ServeCommand.class; type != null; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                CommandLine.Option option = field.getAnnotation(CommandLine.Option.class);
                if (option != null) {
                    written.addAll(List.of(option.names()));
                }
            }
        }
        assertThat(written).as("flags ServeCommand writes itself").isNotEmpty().doesNotContainAnyElementsOf(declared);
        assertThat(usage(serve)).contains("Options the plugins declare").contains("Forwarding policy: Without --policy");
    }

    @Test
    void aSecretsDefaultIsNeverShown() {
        CommandLine commandLine = Main.commandLine();
        String help = usage(commandLine.getSubcommands().get("serve"));
        assertThat(help).as("the test plugin's flag is offered").contains("--vault-unlock")
                .doesNotContain(SecretDeclaringPlugin.DEFAULT_SECRET);

        StringWriter listing = new StringWriter();
        commandLine.setOut(new PrintWriter(listing));
        assertThat(commandLine.execute("plugins", "--settings")).isZero();
        assertThat(listing.toString()).contains("credential.vault.unlock-phrase  string  secret")
                .doesNotContain(SecretDeclaringPlugin.DEFAULT_SECRET);

        SettingSpec declared = Alknet.discover(Optional.empty()).of(ExtensionKind.CREDENTIAL_PROVIDER).get("vault").settings()
                .orElseThrow().getFirst();
        assertThat(declared.toString()).doesNotContain(SecretDeclaringPlugin.DEFAULT_SECRET);
    }

    private static String usage(CommandLine command) {
        StringWriter text = new StringWriter();
        command.usage(new PrintWriter(text));
        return text.toString();
    }

    private static void assertDocumented(CommandLine command) {
        for (CommandLine sub : command.getSubcommands().values()) {
            String name = sub.getCommandSpec().qualifiedName();
            assertThat(String.join(" ", sub.getCommandSpec().usageMessage().description())).as(name).isNotBlank();
            assertThat(sub.getCommandSpec().mixinStandardHelpOptions()).as(name + " has --help").isTrue();
            for (OptionSpec option : sub.getCommandSpec().options()) {
                assertThat(String.join(" ", option.description())).as(name + " " + option.longestName()).isNotBlank();
            }
            assertDocumented(sub);
        }
    }
}
