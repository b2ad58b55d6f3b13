package io.alknet.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import static org.assertj.core.api.Assertions.assertThat;

/** Every flag of {@code alknet connect} is documented with an example. */
class HelpTest {

    @Test
    void everyConnectFlagHasADescriptionWithAnExample() {
        CommandLine connect = new CommandLine(new AlknetCommand()).getSubcommands().get("connect");
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
        assertDocumented(new CommandLine(new AlknetCommand()));
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
