package io.alknet.cli;

import io.alknet.api.plugin.SettingSpec;
import io.alknet.kernel.Alknet;
import io.alknet.kernel.ExtensionKind;
import io.alknet.kernel.KernelSettings;
import io.alknet.kernel.PluginCatalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code alknet plugins}. */
@Command(name = "plugins",
        mixinStandardHelpOptions = true,
        description = {"List every discovered plugin, the jar it came from, and what it contributes.", ""},
        footer = {"", "Examples:", "  alknet plugins", "  alknet plugins --plugin-dir ./plugins", "  alknet plugins --settings"})
final class PluginsCommand implements Callable<Integer> {

    @Option(names = "--plugin-dir", paramLabel = "DIR", description = "Also load plugins from DIR, e.g. --plugin-dir ./plugins.")
    Path pluginDirectory;

    @Option(names = "--settings",
            description = "Also list the settings each contribution declares (key, type, default, flag), and the kernel's; "
                    + "a secret's default is never shown. e.g. alknet plugins --settings.")
    boolean settings;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PluginCatalog catalog = Alknet.discover(Optional.ofNullable(pluginDirectory));
        PrintWriter out = spec.commandLine().getOut();
        int nameWidth = Math.max(6, catalog.plugins().stream().mapToInt(p -> p.name().length()).max().orElse(0));
        int jarWidth = Math.max(3, catalog.plugins().stream().mapToInt(p -> p.jarName().length()).max().orElse(0));
        String format = "%-" + nameWidth + "s  %-8s  %-" + jarWidth + "s  %s%n";
        out.printf(format, "PLUGIN", "SOURCE", "JAR", "CONTRIBUTES");
        for (PluginCatalog.PluginInfo plugin : catalog.plugins()) {
            out.printf(format, plugin.name(), plugin.builtIn() ? "built-in" : "dir", plugin.jarName(),
                    String.join(", ", plugin.contributions()));
        }
        for (PluginCatalog.Rejected rejected : catalog.rejected()) {
            out.printf("rejected: %s: %s%n", rejected.location().getFileName(), rejected.reason());
        }
        if (settings) {
            printSettings(out, catalog);
        }
        out.flush();
        return catalog.rejected().isEmpty() ? ExitCodes.OK : ExitCodes.FAILED;
    }

    private static void printSettings(PrintWriter out, PluginCatalog catalog) {
        out.println();
        out.println("SETTINGS (set with --set KEY=VALUE or a configuration file's [settings])");
        out.println("kernel:");
        KernelSettings.DECLARED.forEach((prefix, declared) -> declared.forEach(setting -> print(out, prefix, setting)));
        for (ExtensionKind<?> kind : ExtensionKind.ALL) {
            catalog.contributions().get(kind).forEach((name, contribution) -> {
                out.println(kind.id() + ":" + name + " (plugin " + contribution.plugin().name() + "):");
                contribution.settings().ifPresentOrElse(
                        declared -> {
                            if (declared.isEmpty()) {
                                out.println("  (no settings)");
                            }
                            declared.forEach(setting -> print(out, kind.settingsPrefix(name), setting));
                        },
                        () -> out.println("  (not declared: the component checks " + kind.settingsPrefix(name) + "* itself)"));
            });
        }
    }

    private static void print(PrintWriter out, String prefix, SettingSpec setting) {
        StringBuilder line = new StringBuilder("  ").append(prefix).append(setting.name())
                .append("  ").append(setting.type().name().toLowerCase(java.util.Locale.ROOT));
        if (setting.secret()) {
            line.append("  secret");
        }
        setting.printableDefault().ifPresent(value -> line.append("  default ").append(value));
        setting.flag().ifPresent(flag -> line.append("  serve ").append(String.join("|", flag.names())));
        out.println(line);
        out.println("      " + setting.help());
    }
}
