package io.alknet.integration;

import io.alknet.api.call.Operation;
import io.alknet.api.call.OperationSpec;
import io.alknet.api.call.OperationType;
import io.alknet.api.interfaces.HostKeyVerification;
import io.alknet.defaults.BuiltIns;
import io.alknet.interfaces.ssh.OpenSshKeys;
import io.alknet.kernel.Alknet;
import io.alknet.kernel.AlknetClient;
import io.alknet.kernel.AlknetServer;
import io.alknet.kernel.KernelSettings;
import io.alknet.kernel.ReconnectPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Routed calls per second through one head (issue 24, run by bench/mesh.sh, never by the test suite: surefire's default
 * includes skip *Benchmark): a client calls /w1/echo over SSH, the head routes each call to worker w1 over its SSH
 * session, CONCURRENCY calls in flight, for SECONDS after a warm-up; prints calls/s and the latency percentiles. Head,
 * worker and client share this JVM and the machine's cores, so the figure is a floor.
 */
class MeshBenchmark {

    @TempDir
    Path dir;

    @Test
    void routedCallsPerSecond() throws Exception {
        int seconds = Integer.getInteger("alknet.mesh.seconds", 20);
        int warmup = Integer.getInteger("alknet.mesh.warmup", 5);
        int concurrency = Integer.getInteger("alknet.mesh.concurrency", 32);
        Fixture fixture = new Fixture(dir);
        Path workerKey = dir.resolve("w1_key");
        KeyPair worker = OpenSshKeys.generate(workerKey, "w1");
        Files.writeString(fixture.authorizedKeys, OpenSshKeys.publicKeyLine(fixture.client.getPublic(), "alice") + "\n"
                + "scopes=\"node:register\" " + OpenSshKeys.publicKeyLine(worker.getPublic(), "w1") + "\n");
        try (AlknetServer head = Alknet.server(fixture.server().build());
             AlknetClient w1 = Alknet.client(BuiltIns.client(head.listenAddresses().getFirst()).identity(workerKey).user("w1")
                     .hostKeys(new HostKeyVerification.Pinned(List.of(OpenSshKeys.fingerprint(fixture.host.getPublic()))))
                     .setting(KernelSettings.WORKER, "w1").reconnect(ReconnectPolicy.NEVER)
                     .stateDirectory(dir.resolve("w1-state")).build());
             AlknetClient client = Alknet.client(fixture.client(head).reconnect(ReconnectPolicy.NEVER).build())) {
            w1.operations().register(Operation.of(OperationSpec.builder("/echo", OperationType.QUERY).build(), (input, context) -> input));
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (client.calls().operations().toCompletableFuture().get(20, TimeUnit.SECONDS).stream()
                    .noneMatch(spec -> spec.path().equals("/w1/echo")) && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            run(client, warmup, concurrency, new long[1 << 22]);
            long[] latencies = new long[1 << 22];
            long[] counts = run(client, seconds, concurrency, latencies);
            int done = (int) counts[0];
            long[] sorted = Arrays.copyOf(latencies, Math.min(done, latencies.length));
            Arrays.sort(sorted);
            System.out.printf("mesh routed calls: %d in %d s = %.0f calls/s, concurrency %d, failed %d, latency ms p50 %.3f p99 %.3f max %.3f%n",
                    done, seconds, done / (double) seconds, concurrency, counts[1], percentile(sorted, 0.50), percentile(sorted, 0.99),
                    sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6);
            assertThat(counts[1]).as("failed calls").isZero();
        }
    }

    /** Keeps {@code concurrency} calls in flight for {@code seconds}; returns {done, failed}. */
    private static long[] run(AlknetClient client, int seconds, int concurrency, long[] latencies) throws InterruptedException {
        Semaphore slots = new Semaphore(concurrency);
        AtomicLong done = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        Map<String, Object> input = Map.of("text", "hello");
        List<CompletableFuture<?>> last = new ArrayList<>();
        while (System.nanoTime() < end) {
            slots.acquire();
            long start = System.nanoTime();
            client.calls().call("/w1/echo", input).whenComplete((value, error) -> {
                long index = done.getAndIncrement();
                if (error != null) {
                    failed.incrementAndGet();
                } else if (index < latencies.length) {
                    latencies[(int) index] = System.nanoTime() - start;
                }
                slots.release();
            });
        }
        slots.acquire(concurrency);
        return new long[] {Math.min(done.get(), latencies.length), failed.get()};
    }

    private static double percentile(long[] sorted, double fraction) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(fraction * sorted.length) - 1)] / 1e6;
    }
}
