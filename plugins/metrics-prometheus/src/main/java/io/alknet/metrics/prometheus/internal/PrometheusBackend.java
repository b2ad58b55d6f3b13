package io.alknet.metrics.prometheus.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.api.metrics.Metrics;
import io.alknet.api.metrics.MetricsBackend;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Micrometer's Prometheus registry with the JVM's binders, served at {@code GET /metrics} by the JDK's HTTP server on
 * an address of its own. Nothing else answers there: every other path is 404, every other method 405.
 *
 * <p>Micrometer's {@code Counter}, {@code Timer} and {@code Gauge} are spelled out in full: this class implements
 * {@link Metrics}, whose nested types of the same names it inherits.
 *
 * <p>Threading: the recording methods are safe from any thread and never block (Micrometer's meters are lock-free;
 * a new meter takes the registry's lock once). Scrapes run on virtual threads.
 */
final class PrometheusBackend implements MetricsBackend {

    private static final Logger LOG = LoggerFactory.getLogger("alknet.metrics");
    static final String PATH = "/metrics";
    /** Prometheus' text format, which every scraper reads. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    /** Histogram buckets of call durations: few, so that each operation costs a dozen series, not a hundred. */
    private static final Duration[] CALL_BUCKETS = Arrays.stream(new long[]{1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000})
            .mapToObj(Duration::ofMillis).toArray(Duration[]::new);

    private final MetricsAddress address;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final TagGuard guard = new TagGuard();
    private final Map<List<String>, AtomicLong> gauges = new ConcurrentHashMap<>();
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final ExecutorService scrapes = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("alknet-metrics-", 0).factory());
    private HttpServer server;

    PrometheusBackend(MetricsAddress address) {
        this.address = address;
    }

    @Override
    public synchronized void start() {
        if (server != null) {
            throw new IllegalStateException("already started");
        }
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        try {
            server = HttpServer.create(address.socketAddress(), 16);
        } catch (IOException e) {
            throw new AlknetException(ErrorCode.INVALID_CONFIG, "cannot serve metrics on " + label(address.socketAddress()) + ": "
                    + e.getMessage() + " (it needs a port of its own, not a listener's)", e);
        }
        server.setExecutor(scrapes);
        server.createContext("/", this::answer);
        server.start();
        if (!address.loopback()) {
            LOG.warn("metrics.exposed address={} reason=\"not loopback: anyone who reaches it reads the server's counters\"",
                    label(server.getAddress()));
        }
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            if (!exchange.getRequestURI().getRawPath().equals(PATH)) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
            if (method.equals("HEAD")) {
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public Metrics.Counter counter(String name, String description, String... tags) {
        io.micrometer.core.instrument.Counter counter = io.micrometer.core.instrument.Counter.builder(name).description(description).tags(guard.check(name, tags)).register(registry);
        return amount -> counter.increment(amount);
    }

    @Override
    public Metrics.Timer timer(String name, String description, String... tags) {
        io.micrometer.core.instrument.Timer timer = io.micrometer.core.instrument.Timer.builder(name).description(description).tags(guard.check(name, tags))
                .serviceLevelObjectives(CALL_BUCKETS).register(registry);
        return nanos -> timer.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public Metrics.Gauge gauge(String name, String description, String... tags) {
        String[] checked = guard.check(name, tags);
        List<String> key = java.util.stream.Stream.concat(java.util.stream.Stream.of(name), Arrays.stream(checked)).toList();
        AtomicLong level = gauges.computeIfAbsent(key, k -> {
            AtomicLong created = new AtomicLong();
            io.micrometer.core.instrument.Gauge.builder(name, created, AtomicLong::get).description(description).tags(checked)
                    .strongReference(true).register(registry);
            return created;
        });
        return level::addAndGet;
    }

    @Override
    public synchronized Map<String, String> info() {
        return server == null ? Map.of() : Map.of("address", label(server.getAddress()));
    }

    private static String label(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
        scrapes.shutdownNow();
        gc.close();
        registry.close();
    }
}
