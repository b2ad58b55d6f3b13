package io.alknet.metrics.prometheus.internal;

import io.alknet.api.AlknetException;
import io.alknet.api.metrics.Metrics;
import io.alknet.api.metrics.MetricsBackend;
import io.alknet.api.plugin.Settings;
import io.alknet.testkit.contract.TestPluginContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The backend over a real socket on loopback: what it serves, where, and what it refuses to put in a label. */
class PrometheusBackendTest {

    @TempDir
    Path dir;

    private MetricsBackend backend(String listen) {
        return new PrometheusMetricsFactory().create(Settings.of("metrics.prometheus.", Map.of("listen", listen)),
                TestPluginContext.in(dir));
    }

    @Test
    void servesTheTextFormatAtMetricsOnlyWithEveryMeterKind() throws Exception {
        try (MetricsBackend backend = backend("127.0.0.1:0")) {
            backend.start();
            backend.counter("test.events", "Events.", "kind", "a").increment(3);
            Metrics.Gauge level = backend.gauge("test.level", "A level.", "kind", "a");
            level.add(5);
            level.add(-2);
            backend.gauge("test.level", "A level.", "kind", "a").add(1);
            backend.timer("test.calls", "Calls.", "operation", "health/ping").record(2_000_000);
            String address = backend.info().get("address");
            assertThat(address).startsWith("127.0.0.1:");

            HttpResponse<String> scrape = send(address, "GET", "/metrics");
            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(scrape.headers().firstValue("Content-Type")).hasValue(PrometheusBackend.CONTENT_TYPE);
            assertThat(scrape.body())
                    .contains("test_events_total{kind=\"a\"} 3.0")
                    .contains("test_level{kind=\"a\"} 4.0")
                    .contains("test_calls_seconds_count{operation=\"health/ping\"} 1")
                    .contains("test_calls_seconds_bucket{operation=\"health/ping\",le=\"0.005\"} 1")
                    .contains("jvm_memory_used_bytes", "jvm_threads_live_threads", "process_uptime_seconds");

            assertThat(send(address, "GET", "/").statusCode()).isEqualTo(404);
            assertThat(send(address, "GET", "/metrics/x").statusCode()).isEqualTo(404);
            HttpResponse<String> post = send(address, "POST", "/metrics");
            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
        }
    }

    @Test
    void aValueThatLooksLikeAnAddressOrIsNotAWordIsCountedAsOther() throws Exception {
        try (MetricsBackend backend = backend("127.0.0.1:0")) {
            backend.start();
            backend.counter("test.leaks", "Leaks.", "target", "10.1.2.3").increment();
            backend.counter("test.leaks", "Leaks.", "target", "fe80::1").increment();
            backend.counter("test.leaks", "Leaks.", "target", "name with spaces").increment();
            backend.counter("test.leaks", "Leaks.", "target", "tcp").increment();
            String body = send(backend.info().get("address"), "GET", "/metrics").body();
            assertThat(body).contains("test_leaks_total{target=\"other\"} 3.0", "test_leaks_total{target=\"tcp\"} 1.0")
                    .doesNotContain("10.1.2.3", "fe80", "spaces");
        }
    }

    @Test
    void aTagStopsGrowingAtItsLimit() {
        TagGuard guard = new TagGuard();
        for (int i = 0; i < TagGuard.MAX_VALUES; i++) {
            assertThat(guard.check("test.grow", "id", "v" + i)[1]).isEqualTo("v" + i);
        }
        assertThat(guard.check("test.grow", "id", "one-more")[1]).isEqualTo(TagGuard.OTHER);
        assertThat(guard.check("test.grow", "id", "v0")[1]).isEqualTo("v0");
        assertThat(guard.check("test.other", "id", "one-more")[1]).isEqualTo("one-more");
        assertThatThrownBy(() -> guard.check("Test-Name")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> guard.check("test.odd", "key")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPortInUseIsAClearErrorThatSaysTheEndpointNeedsItsOwn() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             MetricsBackend backend = backend("127.0.0.1:" + taken.getLocalPort())) {
            assertThatThrownBy(backend::start).isInstanceOf(AlknetException.class)
                    .hasMessageContaining("cannot serve metrics on 127.0.0.1:" + taken.getLocalPort())
                    .hasMessageContaining("a port of its own");
        }
    }

    @Test
    void addressesAreIpLiteralsOrLocalhostWithAnOptionalPort() {
        assertThat(MetricsAddress.parse("127.0.0.1:9500")).isEqualTo(new MetricsAddress(InetAddress.getLoopbackAddress(), 9500));
        assertThat(MetricsAddress.parse("localhost").port()).isEqualTo(MetricsAddress.DEFAULT_PORT);
        assertThat(MetricsAddress.parse("[::1]:9464").loopback()).isTrue();
        assertThat(MetricsAddress.parse("0.0.0.0:9464").loopback()).isFalse();
        assertThatThrownBy(() -> MetricsAddress.parse("metrics.example.com:9464")).isInstanceOf(AlknetException.class)
                .hasMessageContaining("give an IP address");
        assertThatThrownBy(() -> MetricsAddress.parse("127.0.0.1:http")).hasMessageContaining("port must be a number");
        assertThatThrownBy(() -> MetricsAddress.parse("::1:9464")).hasMessageContaining("in brackets");
        assertThatThrownBy(() -> new PrometheusMetricsFactory().create(Settings.of("metrics.prometheus.",
                Map.of("listen", "127.0.0.1:0", "lisen", "x")), TestPluginContext.in(dir))).hasMessageContaining("lisen");
    }

    private static HttpResponse<String> send(String address, String method, String path) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create("http://" + address + path))
                    .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
