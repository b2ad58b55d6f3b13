import io.alknet.api.plugin.PluginContext;
import io.alknet.api.plugin.Settings;
import io.alknet.api.stream.StreamHandler;
import io.alknet.api.stream.TransportStream;
import io.alknet.api.transport.Listener;
import io.alknet.api.transport.Transport;
import io.alknet.api.transport.TransportAddress;
import io.alknet.transport.iroh.internal.IrohTransportFactory;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * iroh stream throughput through alknet's FFM layer: the same topology as {@code alknet-iroh-bench local} (two
 * endpoints in one process, relays off, loopback, one stream, one direction), but every byte goes through
 * {@code TransportStream.write} (a downcall that copies it into Rust) and arrives through the read upcall.
 * Prints {@code ffm bytes=… seconds=… mb_per_s=…}.
 *
 * usage: java --enable-native-access=ALL-UNNAMED -cp 'cli/target/alknet-cli.jar:cli/target/lib/*' IrohThroughput.java BYTES
 */
public class IrohThroughput {

    private static final int CHUNK = 64 * 1024;
    private static final int IN_FLIGHT = 64; // writes outstanding at once: enough to keep QUIC's window full
    private static final long WARM_UP = 512L << 20;
    /** Runtime threads per endpoint, as the pure-Rust peer is given them ($ALKNET_IROH_THREADS, set by bench/iroh.sh). */
    private static final String THREADS = System.getenv().getOrDefault("ALKNET_IROH_THREADS", "1");

    public static void main(String[] args) throws Exception {
        long total = args.length > 0 ? Long.parseLong(args[0]) : 1L << 30;
        Path state = Files.createTempDirectory("iroh-bench");
        PluginContext context = new PluginContext() {
            @Override
            public Path stateDirectory() {
                return state;
            }

            @Override
            public Clock clock() {
                return Clock.systemUTC();
            }
        };
        Settings settings = Settings.of("transport.iroh.", Map.of("relay", "none", "secret-key", "ephemeral", "threads", THREADS));
        try (Transport server = new IrohTransportFactory().create(settings, context);
             Transport client = new IrohTransportFactory().create(settings, context)) {
            server.start();
            client.start();
            Listener listener = server.listen(TransportAddress.of("iroh", "127.0.0.1", 0)).toCompletableFuture().get(30, TimeUnit.SECONDS);
            transfer(client, listener, WARM_UP); // JIT warm-up, so the compiler threads do not share the two cores
            double seconds = transfer(client, listener, total);
            System.out.printf("ffm bytes=%d seconds=%.3f mb_per_s=%.1f%n", total, seconds, total / seconds / 1e6);
            listener.close();
        }
    }

    /** Sends {@code total} bytes over a new stream and returns the seconds until the last arrived. */
    private static double transfer(Transport client, Listener listener, long total) throws Exception {
        CompletableFuture<TransportStream> accepted = listener.accept().toCompletableFuture();
        TransportStream out = client.connect(listener.address()).toCompletableFuture().get(30, TimeUnit.SECONDS);
        ByteBuffer block = ByteBuffer.allocate(CHUNK);
        Arrays.fill(block.array(), (byte) 0x5a);
        AtomicLong received = new AtomicLong();
        CompletableFuture<Void> done = new CompletableFuture<>();
        out.start(new StreamHandler() {
            @Override
            public void onData(ByteBuffer data) {
            }

            @Override
            public void onClosed(Throwable error) {
            }
        });
        Semaphore window = new Semaphore(IN_FLIGHT);
        long started = System.nanoTime();
        long sent = 0;
        boolean acceptedStarted = false;
        while (sent < total) {
            int n = (int) Math.min(CHUNK, total - sent);
            window.acquire();
            out.write(block.duplicate().limit(n)).whenComplete((ignored, error) -> window.release());
            sent += n;
            if (!acceptedStarted) {
                // QUIC shows the peer a stream with its first bytes: the first write lets the accept complete.
                TransportStream in = accepted.get(30, TimeUnit.SECONDS);
                in.start(new StreamHandler() {
                    @Override
                    public void onData(ByteBuffer data) {
                        received.addAndGet(data.remaining());
                    }

                    @Override
                    public void onInputClosed() {
                        done.complete(null);
                        in.close();
                    }

                    @Override
                    public void onClosed(Throwable error) {
                        done.complete(null);
                    }
                });
                acceptedStarted = true;
            }
        }
        out.shutdownOutput();
        done.get(300, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - started) / 1e9;
        if (received.get() != total) {
            throw new IllegalStateException("received " + received.get() + " of " + total + " bytes");
        }
        out.close();
        return seconds;
    }
}
