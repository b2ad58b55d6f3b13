package io.alknet.integration;

import io.alknet.defaults.BuiltIns;
import io.alknet.kernel.Alknet;
import io.alknet.kernel.AlknetClient;
import io.alknet.kernel.AlknetServer;
import io.alknet.interfaces.ssh.OpenSshKeys;
import io.alknet.testkit.Loopback;
import io.alknet.testkit.Socks5Client;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Prometheus endpoint ({@code --metrics}) during a real {@code -D} session: curl fetches a page through the SOCKS5
 * front end, then the scrape is read by a real Prometheus text-format parser (Debian's python3-prometheus-client,
 * {@code text_string_to_metric_families}) and must count the session, the channel and the bytes, and name no
 * destination. The stealth TLS port never answers {@code /metrics}.
 */
class MetricsTest {

    /**
     * Parses the scrape on stdin with prometheus_client and prints one line per sample:
     * {@code NAME <tab> VALUE <tab> key=value;key=value}, then {@code #HELP <tab> family <tab> help} per family.
     */
    private static final String PARSER = """
            import sys
            from prometheus_client.parser import text_string_to_metric_families
            for family in text_string_to_metric_families(sys.stdin.read()):
                print("#HELP\\t%s\\t%s" % (family.name, family.documentation))
                for sample in family.samples:
                    labels = ";".join("%s=%s" % item for item in sorted(sample.labels.items()))
                    print("%s\\t%r\\t%s" % (sample.name, float(sample.value), labels))
            """;

    @TempDir
    Path dir;

    private Fixture fixture;

    @BeforeEach
    void keys() throws Exception {
        fixture = new Fixture(dir);
    }

    @Test
    void aScrapeDuringASocksSessionCountsTheSessionItsChannelAndItsBytesAndNamesNoDestination() throws Exception {
        byte[] body = Loopback.randomBytes(300 * 1024, 25);
        try (TestWeb web = new TestWeb(body);
             AlknetServer server = Alknet.server(fixture.server().setting("metrics.prometheus.listen", "127.0.0.1:0").build());
             AlknetClient client = Alknet.client(fixture.client(server).frontEnd(BuiltIns.socks5("127.0.0.1:0")).build())) {
            String metrics = server.info().get("metrics.address");
            assertThat(metrics).as("the server's info names where to scrape").startsWith("127.0.0.1:");
            int socks = ((InetSocketAddress) client.frontEndAddresses().getFirst().getFirst()).getPort();
            String target = "http://localhost:" + web.port() + "/";
            Path out = dir.resolve("page.bin");
            Process curl = new ProcessBuilder("curl", "-sS", "--fail", "--max-time", "30", "--socks5-hostname",
                    "127.0.0.1:" + socks, "-o", out.toString(), target).redirectErrorStream(true).start();
            String curlOutput = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(curl.waitFor()).as("curl: " + curlOutput).isZero();
            assertThat(Files.readAllBytes(out)).isEqualTo(body);

            HttpResponse<String> response = get("http://" + metrics + "/metrics");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
            String scrape = response.body();
            Parsed parsed = parse(scrape);

            // the session is still open: counted, and active
            assertThat(parsed.value("alknet_sessions_total", "transport=tcp")).isGreaterThanOrEqualTo(1);
            assertThat(parsed.value("alknet_sessions_active", "transport=tcp")).isGreaterThanOrEqualTo(1);
            assertThat(parsed.value("alknet_auth_successes_total", "method=publickey")).isGreaterThanOrEqualTo(1);
            assertThat(parsed.value("alknet_channels_total", "kind=direct-tcpip")).isGreaterThanOrEqualTo(1);
            // every byte of the page came from the target and went out over the session's transport
            assertThat(parsed.value("alknet_forward_bytes_total", "direction=from-target;kind=direct-tcpip")).isGreaterThanOrEqualTo(body.length);
            assertThat(parsed.value("alknet_forward_bytes_total", "direction=to-target;kind=direct-tcpip")).isGreaterThan(0);
            assertThat(parsed.value("alknet_transport_bytes_total", "direction=out;transport=tcp")).isGreaterThanOrEqualTo(body.length);
            assertThat(parsed.value("alknet_transport_bytes_total", "direction=in;transport=tcp")).isGreaterThan(0);
            // and the JVM's own
            assertThat(parsed.names()).contains("jvm_memory_used_bytes", "jvm_gc_memory_allocated_bytes_total");

            // no destination: not the target's name, address or port, not the peers' address, in any name, label or help
            String port = Integer.toString(web.port());
            assertThat(scrape).doesNotContain("localhost").doesNotContain("127.0.0.1");
            assertThat(parsed.text()).allSatisfy(text -> assertThat(text).doesNotContain("localhost", "127.0.0.1", port));
        }
    }

    @Test
    void deniesFailedLoginsAndCallsAreCountedByRuleReasonAndRegisteredPathOnly() throws Exception {
        Path policy = dir.resolve("policy.rules");
        Files.writeString(policy, "default deny\nallow alknet-*:0\n");
        Path strangerKey = dir.resolve("stranger_key");
        OpenSshKeys.generate(strangerKey, "mallory");
        int deniedPort = Loopback.unusedPort();
        try (AlknetServer server = Alknet.server(fixture.server().setting(BuiltIns.POLICY_FILE, policy)
                .setting("metrics.prometheus.listen", "127.0.0.1:0").build());
             AlknetClient client = Alknet.client(fixture.client(server).frontEnd(BuiltIns.socks5("127.0.0.1:0")).build())) {
            int socks = ((InetSocketAddress) client.frontEndAddresses().getFirst().getFirst()).getPort();
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), socks)) {
                socket.setSoTimeout(10_000);
                assertThat(Socks5Client.handshake(socket, "10.9.8.7", deniedPort)).as("SOCKS5 reply: not allowed by ruleset").isEqualTo(2);
            }
            assertThat(client.calls().call("/health/ping", Map.of()).toCompletableFuture().get(20, TimeUnit.SECONDS)).isNotNull();
            assertThatThrownBy(() -> client.calls().call("/no/such/10.9.8.7", Map.of()).toCompletableFuture().get(20, TimeUnit.SECONDS))
                    .hasMessageContaining("no operation");
            // real OpenSSH offering a key the server does not know: one failed login once the connection ends
            String ssh = run("ssh", "-i", strangerKey.toString(), "-p", Integer.toString(server.listenAddresses().getFirst().port()),
                    "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
                    "-o", "IdentitiesOnly=yes", "-o", "ConnectTimeout=10", "mallory@127.0.0.1", "true");
            assertThat(ssh).contains("Permission denied");

            String metrics = "http://" + server.info().get("metrics.address") + "/metrics";
            String scrape = get(metrics).body();
            for (int i = 0; i < 100 && !scrape.contains("alknet_auth_failures_total"); i++) {
                Thread.sleep(100); // the refused key is a failed login once the server has seen the connection end
                scrape = get(metrics).body();
            }
            Parsed parsed = parse(scrape);
            assertThat(parsed.value("alknet_policy_denials_total", "direction=local;rule=default(policy.rules:1)")).isGreaterThanOrEqualTo(1);
            assertThat(parsed.value("alknet_channels_failed_total", "code=FORWARD_DENIED;kind=direct-tcpip")).isGreaterThanOrEqualTo(1);
            assertThat(parsed.value("alknet_channels_total", "kind=control")).isGreaterThanOrEqualTo(1);
            assertThat(parsed.value("alknet_calls_seconds_count", "operation=/health/ping;outcome=ok")).isEqualTo(1);
            // a path nobody registered is the peer's text: counted, as unknown
            assertThat(parsed.value("alknet_calls_seconds_count", "operation=unknown;outcome=error")).isEqualTo(1);
            assertThat(parsed.sum("alknet_auth_failures_total{method=publickey;reason=")).isGreaterThanOrEqualTo(1);
            assertThat(scrape).doesNotContain("10.9.8.7").doesNotContain("/no/such").doesNotContain("mallory");
            assertThat(parsed.text()).allSatisfy(text -> assertThat(text).doesNotContain(Integer.toString(deniedPort)));
        }
    }

    @Test
    void theStealthPortDoesNotAnswerMetricsWhileTheMetricsAddressDoes() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                "-nodes", "-keyout", key.toString(), "-out", cert.toString(), "-days", "2", "-subj", "/CN=localhost")
                .redirectErrorStream(true).start();
        openssl.getInputStream().readAllBytes();
        assertThat(openssl.waitFor(60, TimeUnit.SECONDS)).isTrue();
        try (AlknetServer server = Alknet.server(fixture.server()
                .listen(BuiltIns.ssh("tls://127.0.0.1:0"))
                .setting("transport.tls.cert", cert.toString())
                .setting("transport.tls.key", key.toString())
                .setting("transport.tls.stealth", "true")
                .setting("metrics.prometheus.listen", "127.0.0.1:0").build())) {
            int tls = server.listenAddresses().stream().filter(address -> address.scheme().equals("tls")).findFirst().orElseThrow().port();
            int tcp = server.listenAddresses().stream().filter(address -> address.scheme().equals("tcp")).findFirst().orElseThrow().port();
            String https = run("curl", "-sk", "-i", "--max-time", "20", "https://localhost:" + tls + "/metrics");
            assertThat(https).as("the stealth port's answer to /metrics").startsWith("HTTP/").doesNotContain("alknet_", "jvm_");
            String plain = run("curl", "-s", "-i", "--max-time", "20", "http://127.0.0.1:" + tls + "/metrics");
            assertThat(plain).doesNotContain("alknet_", "jvm_");
            // the plain SSH port speaks SSH, not HTTP
            assertThat(run("curl", "-s", "--max-time", "5", "http://127.0.0.1:" + tcp + "/metrics")).doesNotContain("alknet_", "jvm_");

            String metrics = server.info().get("metrics.address");
            assertThat(get("http://" + metrics + "/metrics").body()).contains("alknet_sessions_total", "jvm_memory_used_bytes");
            assertThat(get("http://" + metrics + "/").statusCode()).isEqualTo(404);
        }
    }

    private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    private String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(60, TimeUnit.SECONDS);
        return output;
    }

    /** The samples and help texts the parser read. */
    private record Parsed(Map<String, Double> samples, List<String> help) {

        double value(String name, String labels) {
            Double value = samples.get(name + "{" + labels + "}");
            assertThat(value).as("sample %s{%s} among %s", name, labels, samples.keySet()).isNotNull();
            return value;
        }

        /** The sum of the samples whose name and labels start with {@code prefix}; fails when there is none. */
        double sum(String prefix) {
            List<Double> matching = samples.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).map(Map.Entry::getValue).toList();
            assertThat(matching).as("samples %s… among %s", prefix, samples.keySet()).isNotEmpty();
            return matching.stream().mapToDouble(Double::doubleValue).sum();
        }

        List<String> names() {
            return samples.keySet().stream().map(key -> key.substring(0, key.indexOf('{'))).distinct().toList();
        }

        /** Every name, label and help text: what must never carry a destination. */
        List<String> text() {
            List<String> text = new ArrayList<>(samples.keySet());
            text.addAll(help);
            return text;
        }
    }

    private Parsed parse(String scrape) throws IOException, InterruptedException {
        Process python = new ProcessBuilder("/usr/bin/python3", "-c", PARSER).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        python.getOutputStream().write(scrape.getBytes(StandardCharsets.UTF_8));
        python.getOutputStream().close();
        List<String> lines = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertThat(python.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(python.exitValue()).as("prometheus_client parses the scrape").isZero();
        Map<String, Double> samples = new LinkedHashMap<>();
        List<String> help = new ArrayList<>();
        for (String line : lines) {
            String[] fields = line.split("\t", -1);
            if (fields[0].equals("#HELP")) {
                help.add(fields[1] + " " + fields[2]);
            } else {
                samples.put(fields[0] + "{" + fields[2] + "}", Double.parseDouble(fields[1]));
            }
        }
        assertThat(samples).as("samples parsed").isNotEmpty();
        return new Parsed(samples, help);
    }
}
