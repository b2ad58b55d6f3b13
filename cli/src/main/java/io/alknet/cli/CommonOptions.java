package io.alknet.cli;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Options every runtime command shares. */
final class CommonOptions {

    @Option(names = "--plugin-dir", paramLabel = "DIR",
            description = "Load extra plugins from DIR: each *.jar (or sub-directory of jars) is one plugin, e.g. --plugin-dir ./plugins.")
    Path pluginDirectory;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "State directory for generated keys and state (default: ~/.alknet, or $ALKNET_STATE_DIR), "
                    + "e.g. --state-dir /var/lib/alknet.")
    Path stateDirectory;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Set a component setting directly, e.g. --set transport.tcp.connect-timeout=5s.")
    List<String> settings = List.of();

    @Option(names = {"-v", "--verbose"}, description = "Log at DEBUG level, e.g. -v when a connection fails.")
    boolean verbose;

    @Option(names = "--debug", description = "Log at DEBUG level and print stack traces on errors, e.g. --debug for a bug report.")
    boolean debug;

    @Option(names = {"-q", "--quiet"}, description = "Only print warnings and errors (no status line), e.g. -q in scripts.")
    boolean quiet;

    Map<String, String> settingsMap() {
        Map<String, String> map = new LinkedHashMap<>();
        for (String entry : settings) {
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw new AlknetException(ErrorCode.INVALID_ARGUMENT, "--set expects KEY=VALUE, got '" + entry + "'");
            }
            map.put(entry.substring(0, eq).trim(), entry.substring(eq + 1).trim());
        }
        return map;
    }
}
