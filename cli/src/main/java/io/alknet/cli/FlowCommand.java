package io.alknet.cli;

import io.alknet.call.Json;
import io.alknet.kernel.AlknetClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code alknet flow show}. */
@Command(name = "flow",
        mixinStandardHelpOptions = true,
        description = {"Show the flowgraph a server keeps of its calls: who called what, through which nodes, how it ended.", ""},
        subcommands = {FlowCommand.Show.class},
        footer = {"", "Examples:",
                "  alknet flow show --server tcp://head:2222 -i ~/.alknet/id_ed25519 --host-key-fingerprint SHA256:abc...",
                "  alknet flow show 6f1c2e9a-... --format dot --server tcp://head:2222 -i key --known-hosts hosts | dot -Tsvg > call.svg"})
final class FlowCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    @Command(name = "show", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Print the tree of the call ID (every call it triggered, on this server and the workers it routed to, with",
                    "status and timings), or without ID the latest calls. Needs the scope monitoring:read.", ""})
    static final class Show implements Callable<Integer> {

        @Parameters(index = "0", arity = "0..1", paramLabel = "ID", description = "A request id (any call of the tree), e.g. 6f1c2e9a-4d1b-...")
        String id;

        @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
                description = "text (an indented tree, the default), dot (Graphviz) or json, e.g. --format dot.")
        String format;

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
            if (!List.of("text", "dot", "json").contains(format)) {
                err.println("alknet: --format must be text, dot or json, got '" + format + "'");
                err.flush();
                return ExitCodes.USAGE;
            }
            try (AlknetClient client = CallClients.connect(login, common, iface.name)) {
                Object answer = CallClients.await(client.calls().call("/flow/calls", id == null ? Map.of() : Map.of("id", id)), err);
                out.print(switch (format) {
                    case "json" -> Json.pretty(answer) + "\n";
                    case "dot" -> dot((Map<?, ?>) answer);
                    default -> text((Map<?, ?>) answer);
                });
                out.flush();
                return ExitCodes.OK;
            } catch (CallClients.CallFailed failed) {
                return failed.report(err);
            }
        }
    }

    /** The calls as an indented tree, children under their parent in the order they were made. */
    static String text(Map<?, ?> answer) {
        List<Map<?, ?>> calls = calls(answer);
        Map<String, List<Map<?, ?>>> children = children(calls);
        StringBuilder out = new StringBuilder();
        for (Map<?, ?> call : calls) {
            if (!isChild(call, calls)) {
                print(out, call, children, "", "");
            }
        }
        return out.toString();
    }

    private static void print(StringBuilder out, Map<?, ?> call, Map<String, List<Map<?, ?>>> children, String lead, String branch) {
        out.append(lead).append(branch).append(call.get("operation")).append("  ").append(call.get("status"));
        if (call.get("durationMillis") != null) {
            out.append("  ").append(call.get("durationMillis")).append(" ms");
        }
        out.append("  ").append(call.get("caller")).append("  ").append(call.get("requestId"));
        if (call.get("error") != null) {
            out.append("  (").append(call.get("error")).append(')');
        }
        out.append('\n');
        List<Map<?, ?>> below = children.getOrDefault(String.valueOf(call.get("requestId")), List.of());
        String nextLead = lead + (branch.isEmpty() ? "" : branch.startsWith("└") ? "   " : "│  ");
        for (int i = 0; i < below.size(); i++) {
            print(out, below.get(i), children, nextLead, i == below.size() - 1 ? "└─ " : "├─ ");
        }
    }

    /** The calls as a Graphviz digraph: a node per call, an edge per parent link. */
    static String dot(Map<?, ?> answer) {
        List<Map<?, ?>> calls = calls(answer);
        StringBuilder out = new StringBuilder("digraph flow {\n  rankdir=TB;\n  node [shape=box];\n");
        for (Map<?, ?> call : calls) {
            String label = call.get("operation") + "\\n" + call.get("status")
                    + (call.get("durationMillis") != null ? " " + call.get("durationMillis") + " ms" : "");
            out.append("  ").append(quoted(call.get("requestId"))).append(" [label=").append(quoted(label)).append("];\n");
        }
        for (Map<?, ?> call : calls) {
            if (isChild(call, calls)) {
                out.append("  ").append(quoted(call.get("parentRequestId"))).append(" -> ").append(quoted(call.get("requestId"))).append(";\n");
            }
        }
        return out.append("}\n").toString();
    }

    private static String quoted(Object text) {
        return '"' + String.valueOf(text).replace("\\", "\\\\").replace("\"", "\\\"").replace("\\\\n", "\\n") + '"';
    }

    private static List<Map<?, ?>> calls(Map<?, ?> answer) {
        List<Map<?, ?>> calls = new ArrayList<>();
        if (answer.get("calls") instanceof List<?> list) {
            list.forEach(item -> calls.add((Map<?, ?>) item));
        }
        return calls;
    }

    private static boolean isChild(Map<?, ?> call, List<Map<?, ?>> calls) {
        Object parent = call.get("parentRequestId");
        return parent != null && calls.stream().anyMatch(other -> parent.equals(other.get("requestId")));
    }

    private static Map<String, List<Map<?, ?>>> children(List<Map<?, ?>> calls) {
        Map<String, List<Map<?, ?>>> children = new LinkedHashMap<>();
        for (Map<?, ?> call : calls) {
            if (isChild(call, calls)) {
                children.computeIfAbsent(String.valueOf(call.get("parentRequestId")), key -> new ArrayList<>()).add(call);
            }
        }
        return children;
    }
}
