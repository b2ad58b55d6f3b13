package io.alknet.cli;

import io.alknet.api.call.OperationSpec;
import io.alknet.call.Json;
import io.alknet.kernel.AlknetClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;

/** {@code alknet ops}. */
@Command(name = "ops",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {"List the operations an alknet server offers you (those your identity's scopes allow), with their specs.", ""},
        footer = {"",
                "Examples:",
                "  alknet ops --server tcp://example.com:2222 -i ~/.alknet/id_ed25519 --host-key-fingerprint SHA256:abc...",
                "  alknet ops --json --server tcp://example.com:2222 -i key --known-hosts ~/.ssh/known_hosts   # full specs with schemas"})
final class OpsCommand implements Callable<Integer> {

    @Option(names = "--json", description = "Print the full specs (schemas, scopes, error codes) as JSON, e.g. --json.")
    boolean json;

    @Mixin
    CallInterface iface;

    @Mixin
    ServerLogin login;

    @Mixin
    CommonOptions common;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (AlknetClient client = CallClients.connect(login, common, iface.name)) {
            if (json) {
                Object listed = CallClients.await(client.calls().call("/services/list", Map.of()), err);
                out.println(Json.pretty(listed));
            } else {
                List<OperationSpec> specs = CallClients.await(client.calls().operations(), err);
                table(out, specs);
            }
            out.flush();
            return ExitCodes.OK;
        } catch (CallClients.CallFailed failed) {
            return failed.report(err);
        }
    }

    private static void table(PrintWriter out, List<OperationSpec> specs) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"OPERATION", "TYPE", "SCOPES", "DESCRIPTION"});
        for (OperationSpec spec : specs) {
            TreeSet<String> scopes = new TreeSet<>(spec.access().requiredScopes());
            rows.add(new String[] {spec.path(), spec.type().name().toLowerCase(Locale.ROOT),
                    scopes.isEmpty() ? "-" : String.join(",", scopes), spec.description()});
        }
        int[] widths = new int[3];
        for (String[] row : rows) {
            for (int i = 0; i < 3; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            out.println(String.format("%-" + widths[0] + "s  %-" + widths[1] + "s  %-" + widths[2] + "s  %s", (Object[]) row).stripTrailing());
        }
    }
}
