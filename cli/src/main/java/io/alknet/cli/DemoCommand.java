package io.alknet.cli;

import com.sun.net.httpserver.HttpServer;
import io.alknet.api.interfaces.HostKeyVerification;
import io.alknet.defaults.BuiltIns;
import io.alknet.interfaces.ssh.OpenSshKeys;
import io.alknet.kernel.Alknet;
import io.alknet.kernel.AlknetClient;
import io.alknet.kernel.AlknetServer;
import io.alknet.kernel.ClientOptions;
import io.alknet.kernel.FrontEndSpec;
import io.alknet.kernel.ReconnectPolicy;
import io.alknet.kernel.ServerOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code alknet demo}: the embedded default, end to end on loopback. */
@Command(name = "demo",
        mixinStandardHelpOptions = true,
        description = {"Start a server and a client on loopback with fresh keys, forward a local port to a tiny web page",
                "through the tunnel, fetch it, and show the equivalent ssh/curl commands. Runs until Ctrl-C.", ""},
        footer = {"", "Examples:", "  alknet demo", "  alknet demo --once    # exit 0 after the fetch (for scripts and CI)"})
final class DemoCommand implements Callable<Integer> {

    static final String PAGE = "Hello from the alknet demo: these bytes crossed an SSH tunnel.\n";

    @Option(names = "--once", description = "Exit with status 0 right after a successful fetch.")
    boolean once;

    // The launcher's start-up cache training (AotTraining); not for users, so not in the help.
    @Option(names = "--train", hidden = true, description = "Run the start-up cache training workload and exit.")
    boolean train;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path dir = Files.createTempDirectory("alknet-demo-");
        if (train) {
            try {
                AotTraining.standard().run(dir, out);
                return ExitCodes.OK;
            } finally {
                deleteQuietly(dir);
            }
        }
        HttpServer web = null;
        AlknetServer server = null;
        AlknetClient client = null;
        try {
            step(out, "1/5", "creating keys in " + dir);
            Path hostKey = dir.resolve("host_ed25519");
            Path clientKey = dir.resolve("id_ed25519");
            KeyPair host = OpenSshKeys.generate(hostKey, "demo-host");
            KeyPair user = OpenSshKeys.generate(clientKey, "demo-user");
            Path authorizedKeys = dir.resolve("authorized_keys");
            Files.writeString(authorizedKeys, OpenSshKeys.publicKeyLine(user.getPublic(), "demo-user") + "\n");

            web = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            web.createContext("/", exchange -> {
                byte[] body = PAGE.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream body0 = exchange.getResponseBody()) {
                    body0.write(body);
                }
            });
            web.start();
            int webPort = web.getAddress().getPort();
            step(out, "2/5", "a tiny web page listens on http://127.0.0.1:" + webPort + "/");

            server = Alknet.server(BuiltIns.server()
                    .listen(BuiltIns.ssh("tcp://127.0.0.1:0"))
                    .setting(BuiltIns.HOST_KEY, hostKey)
                    .setting(BuiltIns.AUTHORIZED_KEYS, authorizedKeys)
                    .stateDirectory(dir.resolve("state"))
                    .build());
            int serverPort = server.listenAddresses().getFirst().port();
            String fingerprint = OpenSshKeys.fingerprint(host.getPublic());
            step(out, "3/5", "alknet serve listens on tcp://127.0.0.1:" + serverPort + " (host key " + fingerprint + ")");

            client = Alknet.client(BuiltIns.client(server.listenAddresses().getFirst())
                    .identity(clientKey)
                    .user("demo")
                    .hostKeys(new HostKeyVerification.Pinned(List.of(fingerprint)))
                    .frontEnd(BuiltIns.localForward("127.0.0.1:0:127.0.0.1:" + webPort))
                    .stateDirectory(dir.resolve("client-state"))
                    .reconnect(ReconnectPolicy.NEVER)
                    .build());
            int localPort = ((InetSocketAddress) client.frontEndAddresses().getFirst().getFirst()).getPort();
            step(out, "4/5", "alknet connect forwards 127.0.0.1:" + localPort + " -> 127.0.0.1:" + webPort + " through the tunnel");

            String body = fetch("http://127.0.0.1:" + localPort + "/");
            if (!PAGE.equals(body)) {
                out.println("demo FAILED: the page fetched through the tunnel differs from the original");
                out.flush();
                return ExitCodes.FAILED;
            }
            step(out, "5/5", "fetched through the tunnel: " + body.strip());
            out.println();
            out.println("The same with the CLI and with OpenSSH:");
            out.println("  ./alknet serve --listen tcp://127.0.0.1:" + serverPort + " --host-key " + hostKey + " --authorized-keys " + authorizedKeys);
            out.println("  ./alknet connect tcp://127.0.0.1:" + serverPort + " -i " + clientKey + " --host-key-fingerprint " + fingerprint
                    + " -L 8080:127.0.0.1:" + webPort);
            out.println("  ssh -N -p " + serverPort + " -i " + clientKey + " -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null"
                    + " -L 8080:127.0.0.1:" + webPort + " demo@127.0.0.1");
            out.println("  curl http://127.0.0.1:" + localPort + "/");
            out.flush();
            if (once) {
                return ExitCodes.OK;
            }
            out.println();
            out.println("Running; try the curl command above. Press Ctrl-C to stop.");
            out.flush();
            AlknetServer running = server;
            AlknetClient connected = client;
            HttpServer page = web;
            Signals.onTerminate(() -> {
                connected.close();
                running.close();
                page.stop(0);
                deleteQuietly(dir);
            });
            server.awaitTermination();
            return ExitCodes.OK;
        } finally {
            if (once || client == null) {
                if (client != null) {
                    client.close();
                }
                if (server != null) {
                    server.close();
                }
                if (web != null) {
                    web.stop(0);
                }
                deleteQuietly(dir);
            }
        }
    }

    private static String fetch(String url) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.body();
        }
    }

    private static void step(PrintWriter out, String number, String text) {
        out.println("[" + number + "] " + text);
        out.flush();
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory left behind is harmless
        }
    }
}
