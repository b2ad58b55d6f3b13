package io.alknet.cli;

import com.sun.net.httpserver.HttpServer;
import io.alknet.testkit.Loopback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code alknet serve --metrics}: the launcher serves Prometheus metrics on the address given and nowhere else, and a
 * {@code connect -D} session with curl through it shows up in them without its destination.
 */
class MetricsCliTest {

    private static final Pattern FINGERPRINT = Pattern.compile("SHA256:[A-Za-z0-9+/]{43}");

    @TempDir
    Path dir;

    @Test
    void serveMetricsCountsACurlThroughConnectDAndNamesNoDestination() throws Exception {
        Path hostKey = dir.resolve("host");
        Path clientKey = dir.resolve("client");
        assertThat(Cli.run(dir, "keygen", "-f", hostKey.toString()).exitCode()).isZero();
        assertThat(Cli.run(dir, "keygen", "-f", clientKey.toString(), "-C", "carol").exitCode()).isZero();
        Path authorized = dir.resolve("authorized_keys");
        Files.copy(Path.of(clientKey + ".pub"), authorized);
        int serverPort = Loopback.unusedPort();
        int metricsPort = Loopback.unusedPort();
        int socksPort = Loopback.unusedPort();
        HttpServer web = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        web.createContext("/", exchange -> {
            byte[] page = "a page through the tunnel".getBytes();
            exchange.sendResponseHeaders(200, page.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(page);
            }
        });
        web.start();
        try (AutoCloseable stopWeb = () -> web.stop(0);
             Cli.Running server = Cli.start(dir, "serve", "--listen", "tcp://127.0.0.1:" + serverPort,
                     "--host-key", hostKey.toString(), "--authorized-keys", authorized.toString(),
                     "--metrics", "127.0.0.1:" + metricsPort)) {
            String banner = server.await("host key fingerprint", Duration.ofSeconds(60));
            Matcher fingerprint = FINGERPRINT.matcher(banner);
            assertThat(fingerprint.find()).isTrue();
            assertThat(server.stderr()).contains("server.metrics backend=prometheus address=127.0.0.1:" + metricsPort)
                    .doesNotContain("metrics.exposed");
            try (Cli.Running client = Cli.start(dir, "connect", "tcp://127.0.0.1:" + serverPort, "-i", clientKey.toString(),
                    "--host-key-fingerprint", fingerprint.group(), "-D", "127.0.0.1:" + socksPort)) {
                client.await("ready: -D 127.0.0.1:" + socksPort, Duration.ofSeconds(60));
                Process curl = new ProcessBuilder("curl", "-sS", "--fail", "--max-time", "30", "--socks5-hostname",
                        "127.0.0.1:" + socksPort, "http://localhost:" + web.getAddress().getPort() + "/").redirectErrorStream(true).start();
                String page = new String(curl.getInputStream().readAllBytes());
                assertThat(curl.waitFor()).as("curl: " + page).isZero();
                assertThat(page).isEqualTo("a page through the tunnel");

                String scrape;
                try (HttpClient http = HttpClient.newHttpClient()) {
                    scrape = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).build(),
                            HttpResponse.BodyHandlers.ofString()).body();
                }
                assertThat(scrape).contains("alknet_sessions_active{transport=\"tcp\"} 1.0", "alknet_channels_total{kind=\"direct-tcpip\"}",
                        "alknet_transport_bytes_total{direction=\"out\",transport=\"tcp\"}", "jvm_memory_used_bytes");
                assertThat(scrape).doesNotContain("localhost", "127.0.0.1", "carol");
            }
        }
    }

    @Test
    void theConfigurationFilesMetricsKeyStartsTheEndpointAndWithoutItThereIsNone() throws Exception {
        assertThat(Cli.run(dir, "keygen", "-f", dir.resolve("host").toString()).exitCode()).isZero();
        int serverPort = Loopback.unusedPort();
        int metricsPort = Loopback.unusedPort();
        Path config = dir.resolve("alknet.toml");
        Files.writeString(config, """
                [server]
                listen = "tcp://127.0.0.1:%d"
                host_key = "host"
                metrics = "127.0.0.1:%d"
                """.formatted(serverPort, metricsPort));
        try (Cli.Running server = Cli.start(dir, "serve", "--config", config.toString());
             HttpClient http = HttpClient.newHttpClient()) {
            server.await("host key fingerprint", Duration.ofSeconds(60));
            HttpResponse<String> scrape = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(scrape.body()).contains("jvm_memory_used_bytes");
        }
        Files.writeString(config, """
                [server]
                listen = "tcp://127.0.0.1:%d"
                host_key = "host"
                """.formatted(serverPort));
        try (Cli.Running server = Cli.start(dir, "serve", "--config", config.toString())) {
            server.await("host key fingerprint", Duration.ofSeconds(60));
            assertThat(server.stderr()).doesNotContain("server.metrics");
            try (java.net.Socket probe = new java.net.Socket()) {
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> probe.connect(
                        new InetSocketAddress(InetAddress.getLoopbackAddress(), metricsPort), 2000))
                        .as("metrics are off by default: nothing listens on the port").isInstanceOf(java.io.IOException.class);
            }
        }
    }
}
