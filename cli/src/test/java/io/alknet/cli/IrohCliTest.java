package io.alknet.cli;

import io.alknet.testkit.Loopback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two processes over iroh with relays disabled, as an operator runs them (issue 5): {@code alknet serve --transport
 * iroh} prints its {@code iroh address} line, {@code alknet connect} takes it as is, and curl fetches through the
 * SOCKS5 proxy; the endpoint id survives a restart; a client pinned to another id, and a malformed id, fail clearly.
 */
class IrohCliTest {

    private static final Pattern FINGERPRINT = Pattern.compile("SHA256:[A-Za-z0-9+/]{43}");
    private static final Pattern IROH_ADDRESS = Pattern.compile("(?m)^alknet: iroh address: (iroh://([0-9a-f]{64})\\?addr=\\S+)$");

    @TempDir
    Path dir;

    private record Served(Cli.Running process, String address, String endpointId, String hostPin) {
    }

    private Served serve(String stateDir) throws Exception {
        Cli.Running server = Cli.start(dir, "serve", "--transport", "iroh", "--iroh-relay", "none", "--listen", "iroh://127.0.0.1:0",
                "--host-key", dir.resolve("host").toString(), "--authorized-keys", dir.resolve("authorized_keys").toString(),
                "--state-dir", dir.resolve(stateDir).toString());
        String banner = server.await("iroh address:", Duration.ofSeconds(60));
        Matcher address = IROH_ADDRESS.matcher(banner);
        assertThat(address.find()).as(banner).isTrue();
        Matcher pin = FINGERPRINT.matcher(banner.substring(banner.indexOf("ssh host key fingerprint")));
        assertThat(pin.find()).isTrue();
        return new Served(server, address.group(1), address.group(2), pin.group());
    }

    private void keys() throws Exception {
        // a build without cargo has no native library (and says so); CI always builds it (.ci/run checks for cargo)
        org.junit.jupiter.api.Assumptions.assumeTrue(IrohCliTest.class.getResource("/native/linux-x86_64/libalknet_iroh.so") != null,
                "alknet was built without the iroh native library");
        assertThat(Cli.run(dir, "keygen", "-f", dir.resolve("host").toString()).exitCode()).isZero();
        assertThat(Cli.run(dir, "keygen", "-f", dir.resolve("client").toString(), "-C", "carol").exitCode()).isZero();
        Files.copy(dir.resolve("client.pub"), dir.resolve("authorized_keys"));
    }

    @Test
    void curlThroughSocks5OverIrohBetweenTwoProcessesWithRelaysDisabled() throws Exception {
        keys();
        byte[] body = Loopback.randomBytes(3 * 1024 * 1024 + 17, 9);
        com.sun.net.httpserver.HttpServer web = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        web.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            try (var out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        web.start();
        Served served = serve("server-state");
        int socksPort = Loopback.unusedPort();
        try (Cli.Running server = served.process();
             Cli.Running client = Cli.start(dir, "connect", served.address(), "--iroh-relay", "none", "-i", dir.resolve("client").toString(),
                     "--host-key-fingerprint", served.hostPin(), "-D", "127.0.0.1:" + socksPort, "--state-dir", dir.resolve("client-state").toString())) {
            client.await("ready: -D 127.0.0.1:" + socksPort, Duration.ofSeconds(60));
            // docs/iroh.md: the client says how the connection runs, without -v
            assertThat(client.await("iroh.connected", Duration.ofSeconds(10)))
                    .contains("iroh.connected peer_id=" + served.endpointId()).contains("path=direct");
            Path fetched = dir.resolve("fetched");
            Process curl = new ProcessBuilder("curl", "-sS", "--fail", "--max-time", "60", "--socks5-hostname", "127.0.0.1:" + socksPort,
                    "-o", fetched.toString(), "http://localhost:" + web.getAddress().getPort() + "/blob").redirectErrorStream(true).start();
            String output = new String(curl.getInputStream().readAllBytes());
            assertThat(curl.waitFor(90, TimeUnit.SECONDS)).isTrue();
            assertThat(curl.exitValue()).as(output).isZero();
            assertThat(Files.readAllBytes(fetched)).isEqualTo(body);
            // the server's audit line names the client's endpoint, which it keeps in its state directory
            assertThat(Files.readString(dir.resolve("client-state").resolve("iroh_secret_key")).strip()).matches("[0-9a-f]{64}");
            assertThat(server.await("transport=iroh peer_id=", Duration.ofSeconds(10))).contains("auth.success");
        } finally {
            web.stop(0);
        }
    }

    @Test
    void theEndpointIdSurvivesARestartAndClientsPinnedToAnotherOrAMalformedIdFailClearly() throws Exception {
        keys();
        Served first = serve("server-state");
        first.process().close();
        Served again = serve("server-state");
        try (Cli.Running server = again.process()) {
            assertThat(again.endpointId()).isEqualTo(first.endpointId());

            Served other = serve("other-state");
            other.process().close();
            assertThat(other.endpointId()).isNotEqualTo(again.endpointId());
            String pinnedElsewhere = again.address().replace(again.endpointId(), other.endpointId());
            Cli.Result refused = Cli.run(dir, "connect", pinnedElsewhere, "--iroh-relay", "none", "--no-reconnect", "-i",
                    dir.resolve("client").toString(), "--host-key-fingerprint", again.hostPin(), "-D", "127.0.0.1:" + Loopback.unusedPort(),
                    "--state-dir", dir.resolve("client-state").toString());
            assertThat(refused.exitCode()).as(refused.stderr()).isEqualTo(1);
            assertThat(refused.stderr()).contains("iroh connection to " + other.endpointId().substring(0, 10))
                    .contains("not the one dialled").doesNotContain("\tat ");

            Cli.Result malformed = Cli.run(dir, "connect", "iroh://not-an-endpoint-id?addr=127.0.0.1:1", "--iroh-relay", "none",
                    "-i", dir.resolve("client").toString(), "--host-key-fingerprint", again.hostPin());
            assertThat(malformed.exitCode()).as(malformed.stderr()).isEqualTo(2);
            assertThat(malformed.stderr()).contains("is not an iroh endpoint id").doesNotContain("\tat ");

            Cli.Result badAddr = Cli.run(dir, "connect", again.address().replaceAll("addr=[^&]*", "addr=999.1.1.1:5"),
                    "--iroh-relay", "none", "--no-reconnect", "-i", dir.resolve("client").toString(), "--host-key-fingerprint", again.hostPin());
            assertThat(badAddr.exitCode()).as(badAddr.stderr()).isEqualTo(2);
            assertThat(badAddr.stderr()).contains("invalid server address").contains("'999.1.1.1:5' is not IP:PORT")
                    .doesNotContain("is running there");

            Cli.Result badRelay = Cli.run(dir, "connect", again.address(), "--iroh-relay", "ht tp://x", "--no-reconnect",
                    "-i", dir.resolve("client").toString(), "--host-key-fingerprint", again.hostPin());
            assertThat(badRelay.exitCode()).as(badRelay.stderr()).isEqualTo(1);
            assertThat(badRelay.stderr()).contains("--iroh-relay").contains("expected 'default', 'none' or a relay URL");
            assertThat(server.process.isAlive()).isTrue();
        }
    }
}
