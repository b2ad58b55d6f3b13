package io.alknet.transport.iroh.internal;

import io.alknet.api.plugin.Settings;
import io.alknet.api.stream.TransportStream;
import io.alknet.api.transport.Listener;
import io.alknet.api.transport.Transport;
import io.alknet.api.transport.TransportAddress;
import io.alknet.api.stream.StreamHandler;
import io.alknet.testkit.contract.TestPluginContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No native memory growth over 10,000 stream open/close cycles (issue 5): the library's counting allocator
 * ({@code alk_stats}) reports its live bytes and handles; after the cycles they are back where they were after a
 * warm-up. Every cycle opens a stream, sends and echoes a little data, and closes both ends.
 */
class IrohNativeMemoryTest {

    @BeforeAll
    static void nativeLibrary() {
        NativeAvailable.assume();
    }

    private static final int WARM_UP = 500;
    private static final int CYCLES = 10_000;

    @TempDir
    Path dir;

    private static Transport transport(Path state) {
        Transport transport = new IrohTransportFactory().create(Settings.of("transport.iroh.", Map.of("relay", "none")),
                TestPluginContext.in(state));
        transport.start();
        return transport;
    }

    @Test
    void tenThousandStreamOpenCloseCyclesLeaveNoNativeMemoryBehind() throws Exception {
        try (Transport server = transport(dir.resolve("server")); Transport client = transport(dir.resolve("client"))) {
            Listener listener = server.listen(TransportAddress.of("iroh", "127.0.0.1", 0)).toCompletableFuture().get(30, TimeUnit.SECONDS);
            TransportAddress address = listener.address();
            cycles(client, listener, address, WARM_UP);
            long[] before = settled(0);
            int sinksBefore = settledSinks(Integer.MIN_VALUE);
            cycles(client, listener, address, CYCLES);
            long[] after = settled(before[0]);
            int sinksAfter = settledSinks(sinksBefore);
            long growth = after[0] - before[0];
            System.out.printf("iroh native memory over %d stream cycles: live bytes %d -> %d (%+d), allocations %d -> %d, "
                    + "streams %d -> %d, connections %d -> %d, Java callback sinks %d -> %d%n", CYCLES, before[0], after[0], growth,
                    before[1], after[1], before[4], after[4], before[3], after[3], sinksBefore, sinksAfter);
            assertThat(sinksAfter).as("Java-side callback registrations").isEqualTo(sinksBefore);
            assertThat(after[4]).as("stream handles still registered").isZero();
            assertThat(after[3]).as("connection handles").isEqualTo(before[3]);
            // 10,000 leaked streams would be megabytes (a stream costs kilobytes); allow allocator and timer noise only
            assertThat(growth).as("native bytes still live after %d cycles", CYCLES).isLessThan(256 * 1024);
            listener.close();
        }
    }

    private static void cycles(Transport client, Listener listener, TransportAddress address, int count) throws Exception {
        byte[] payload = new byte[512];
        for (int i = 0; i < count; i++) {
            CompletableFuture<TransportStream> accepted = listener.accept().toCompletableFuture();
            TransportStream dialled = client.connect(address).toCompletableFuture().get(30, TimeUnit.SECONDS);
            Arrival atClient = new Arrival(payload.length);
            dialled.start(atClient);
            dialled.write(ByteBuffer.wrap(payload)).toCompletableFuture().get(30, TimeUnit.SECONDS);
            TransportStream served = accepted.get(30, TimeUnit.SECONDS);
            Arrival atServer = new Arrival(payload.length);
            served.start(atServer);
            atServer.all.get(30, TimeUnit.SECONDS);
            served.write(ByteBuffer.wrap(payload)).toCompletableFuture().get(30, TimeUnit.SECONDS);
            atClient.all.get(30, TimeUnit.SECONDS);
            dialled.close();
            served.close();
            dialled.closeFuture().toCompletableFuture().get(30, TimeUnit.SECONDS);
            served.closeFuture().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    /** Completes {@link #all} once {@code expected} bytes arrived (no polling: a cycle is a few round trips). */
    private static final class Arrival implements StreamHandler {
        final CompletableFuture<Void> all = new CompletableFuture<>();
        private final int expected;
        private int received;

        Arrival(int expected) {
            this.expected = expected;
        }

        @Override
        public void onData(ByteBuffer data) {
            received += data.remaining();
            if (received >= expected) {
                all.complete(null);
            }
        }

        @Override
        public void onClosed(Throwable error) {
            // closed before every byte arrived: the cycle failed
            all.completeExceptionally(error != null ? error : new java.io.EOFException("closed after " + received + " bytes"));
        }
    }

    /**
     * The Java side's registrations once the last streams' read loops reported their end (a stream's close future
     * completes before its read loop has ended, and only then is its registration dropped): polled until it is
     * {@code expected}, or until it stops changing.
     */
    private static int settledSinks(int expected) throws InterruptedException {
        int count = Native.sinkCount();
        for (int i = 0, stable = 0; i < 50 && count != expected && stable < 5; i++) {
            Thread.sleep(100);
            int now = Native.sinkCount();
            stable = now == count ? stable + 1 : 0;
            count = now;
        }
        return count;
    }

    /** The library's stats once streams were freed and the live bytes stopped falling (QUIC acks settle). */
    private static long[] settled(long reference) throws InterruptedException {
        long[] stats = Native.stats();
        for (int i = 0; i < 50 && (stats[4] > 0 || stats[0] > reference); i++) {
            Thread.sleep(100);
            stats = Native.stats();
        }
        return stats;
    }
}
