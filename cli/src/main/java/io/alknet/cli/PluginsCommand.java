package io.alknet.cli;

import io.alknet.kernel.Alknet;
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
        footer = {"", "Examples:", "  alknet plugins", "  alknet plugins --plugin-dir ./plugins"})
final class PluginsCommand implements Callable<Integer> {

    @Option(names = "--plugin-dir", paramLabel = "DIR", description = "Also load plugins from DIR.")
    Path pluginDirectory;

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
        out.flush();
        return catalog.rejected().isEmpty() ? ExitCodes.OK : ExitCodes.FAILED;
    }
}
