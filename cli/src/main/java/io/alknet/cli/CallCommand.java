package io.alknet.cli;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.api.call.CallOptions;
import io.alknet.call.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code alknet call}. */
@Command(name = "call",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {"Call an operation on an alknet server and print its result as JSON.",
                "The server is reached as with 'alknet connect' (--server or $ALKNET_SERVER, -i KEY, a host key check).", ""},
        footer = {"",
                "Exit status: 0 with the result on stdout; 1 when the call failed (the error code and message go to stderr);",
                "2 for a usage error.",
                "",
                "Examples:",
                "  alknet call /health/ping --server tcp://example.com:2222 -i ~/.alknet/id_ed25519 --host-key-fingerprint SHA256:abc...",
                "  alknet call /services/schema --json '{\"path\":\"/health/ping\"}' --server tcp://example.com:2222 -i key --known-hosts ~/.ssh/known_hosts",
                "  ALKNET_API_KEY=alk_... alknet call /server/status --interface raw --server tcp://127.0.0.1:7000",
                "  (over HTTP: curl -H 'Authorization: Bearer alk_...' -d '{}' http://127.0.0.1:8080/v1/call/health/ping)"})
final class CallCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "OPERATION", description = "The operation path, e.g. /health/ping.")
    String operation;

    @Option(names = "--json", paramLabel = "JSON", description = "The input as JSON (default: {}), e.g. --json '{\"path\":\"/health/ping\"}'.")
    String json;

    @Option(names = "--input-file", paramLabel = "FILE", description = "Read the input JSON from FILE ('-' for stdin), e.g. --input-file input.json.")
    String inputFile;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30s",
            description = "Give up (TIMEOUT) after this long (default: ${DEFAULT-VALUE}); the server stops the handler too, e.g. --timeout 5s.")
    String timeout;

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
        if (!operation.startsWith("/")) {
            throw new AlknetException(ErrorCode.INVALID_ARGUMENT, "OPERATION must be a path like /health/ping, got '" + operation + "'");
        }
        Object input = input();
        CallOptions options = CallOptions.timeout(Durations.parse("--timeout", timeout));
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        return CallClients.callAndPrint(login, common, iface.name, operation, input, options, out, err,
                (result, printer) -> printer.println(Json.pretty(result)));
    }

    private Object input() throws java.io.IOException {
        if (json != null && inputFile != null) {
            throw new AlknetException(ErrorCode.INVALID_ARGUMENT, "use either --json or --input-file, not both");
        }
        String text = json;
        if (inputFile != null) {
            text = inputFile.equals("-") ? new String(System.in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                    : Files.readString(Path.of(inputFile));
        }
        if (text == null || text.isBlank()) {
            return Map.of();
        }
        try {
            return Json.read(text);
        } catch (IllegalArgumentException e) {
            throw new AlknetException(ErrorCode.INVALID_ARGUMENT, "the input is not JSON: " + e.getMessage()
                    + " (quote it for the shell: --json '{\"key\":\"value\"}')");
        }
    }
}
