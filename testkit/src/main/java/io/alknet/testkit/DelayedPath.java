package io.alknet.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;

/**
 * A long path on loopback, for tests and for benchmarks on kernels without {@code sch_netem}: relays each connection
 * from its own loopback port to {@code 127.0.0.1:target} and delivers every chunk a fixed delay after it arrived, in
 * each direction (a round trip through it takes twice the delay more). It buffers up to 256 MiB per direction and then
 * stops reading, so a sender that outruns it is slowed, never dropped; an end (FIN) is delayed like the data, and a
 * failed write ends both sockets of that direction, not cleanly.
 *
 * <p>What it models: a path whose delay an end-to-end window (an SSH channel window) must cover. TCP's own windows on
 * each side see loopback latency, so it does not model TCP over a real long path.
 *
 * <p>Depends on the JDK alone, so benchmarks run it as a single-file program:
 * {@code java testkit/src/main/java/io/alknet/testkit/DelayedPath.java LISTEN_PORT TARGET_PORT DELAY_MS}.
 */
public final class DelayedPath implements AutoCloseable {

    private static final int BUDGET = 256 << 20;

    private record Chunk(long due, byte[] bytes) {
    }

    private final ServerSocket server;
    private final int target;
    private final long delayNanos;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

    /**
     * Listens on {@code listenPort} (0: any free port) of loopback and relays to {@code targetPort}, delaying each
     * direction by {@code oneWay}.
     */
    public DelayedPath(int listenPort, int targetPort, Duration oneWay) throws IOException {
        this.server = new ServerSocket(listenPort, 50, InetAddress.getLoopbackAddress());
        this.target = targetPort;
        this.delayNanos = oneWay.toNanos();
        Thread.ofPlatform().daemon().name("delayed-path-" + port()).start(this::accept);
    }

    /** The loopback port that leads, delayed, to the target. */
    public int port() {
        return server.getLocalPort();
    }

    /** Stops accepting and closes every relayed connection. */
    @Override
    public void close() throws IOException {
        server.close();
        sockets.forEach(DelayedPath::closeQuietly);
    }

    private void accept() {
        while (!server.isClosed()) {
            Socket in;
            try {
                in = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            try {
                Socket out = new Socket(InetAddress.getLoopbackAddress(), target);
                relay(in, out);
            } catch (IOException e) {
                closeQuietly(in); // the target refused: so does the path
            }
        }
    }

    private void relay(Socket in, Socket out) throws IOException {
        in.setTcpNoDelay(true);
        out.setTcpNoDelay(true);
        sockets.add(in);
        sockets.add(out);
        java.util.concurrent.atomic.AtomicInteger open = new java.util.concurrent.atomic.AtomicInteger(2);
        Runnable ended = () -> {
            if (open.decrementAndGet() == 0) {
                closeQuietly(in);
                closeQuietly(out);
                sockets.remove(in);
                sockets.remove(out);
            }
        };
        pipe(in, out, ended);
        pipe(out, in, ended);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    /** One direction; {@code ended} runs once it is over (both over: both sockets close). */
    private void pipe(Socket from, Socket to, Runnable ended) {
        LinkedBlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
        Semaphore budget = new Semaphore(BUDGET);
        Thread.ofVirtual().start(() -> {
            byte[] buffer = new byte[256 * 1024];
            try {
                InputStream in = from.getInputStream();
                for (int n; (n = in.read(buffer)) > 0; ) {
                    budget.acquire(n);
                    queue.put(new Chunk(System.nanoTime() + delayNanos, Arrays.copyOf(buffer, n)));
                }
            } catch (IOException | InterruptedException ignored) {
                // the connection ended
            }
            queue.add(new Chunk(System.nanoTime() + delayNanos, null)); // the end, delayed like the data
        });
        Thread.ofVirtual().start(() -> {
            try {
                OutputStream out = to.getOutputStream();
                while (true) {
                    Chunk chunk = queue.take();
                    long wait = chunk.due() - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                    if (chunk.bytes() == null) {
                        to.shutdownOutput();
                        return;
                    }
                    out.write(chunk.bytes());
                    budget.release(chunk.bytes().length);
                }
            } catch (IOException | InterruptedException e) {
                closeQuietly(from); // a failed write ends both ends of this direction, not cleanly
                closeQuietly(to);
            } finally {
                ended.run();
            }
        });
    }

    /** {@code LISTEN_PORT TARGET_PORT DELAY_MS}: relays until killed. */
    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: java DelayedPath.java LISTEN_PORT TARGET_PORT DELAY_MS");
            System.exit(2);
        }
        try (DelayedPath path = new DelayedPath(Integer.parseInt(args[0]), Integer.parseInt(args[1]),
                Duration.ofMillis(Long.parseLong(args[2])))) {
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
