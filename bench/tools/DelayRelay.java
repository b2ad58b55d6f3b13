import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;

/**
 * A long path on loopback, for kernels without {@code sch_netem}: relays each connection from LISTEN_PORT to
 * 127.0.0.1:TARGET_PORT and delivers every chunk DELAY_MS after it arrived, in each direction (so a round trip
 * through it takes twice DELAY_MS more). It buffers up to 256 MiB per direction (enough for several Gbit/s at
 * 100 ms) and then stops reading, so a sender that outruns it is slowed, never dropped. What it models: a path
 * whose delay an end-to-end window (an SSH channel window) must cover; TCP's own windows on each side see loopback
 * latency, so it does not model TCP's behaviour over a real long path.
 *
 * usage: java DelayRelay.java LISTEN_PORT TARGET_PORT DELAY_MS
 */
public class DelayRelay {
    private static final int BUDGET = 256 << 20;

    private record Chunk(long due, byte[] bytes) {
    }

    public static void main(String[] args) throws Exception {
        int listen = Integer.parseInt(args[0]);
        int target = Integer.parseInt(args[1]);
        long delayNanos = Long.parseLong(args[2]) * 1_000_000L;
        try (ServerSocket server = new ServerSocket(listen, 50, InetAddress.getLoopbackAddress())) {
            while (true) {
                Socket in = server.accept();
                Socket out = new Socket(InetAddress.getLoopbackAddress(), target);
                in.setTcpNoDelay(true);
                out.setTcpNoDelay(true);
                java.util.concurrent.atomic.AtomicInteger open = new java.util.concurrent.atomic.AtomicInteger(2);
                Runnable ended = () -> {
                    if (open.decrementAndGet() == 0) {
                        closeQuietly(in);
                        closeQuietly(out);
                    }
                };
                pipe(in, out, delayNanos, ended);
                pipe(out, in, delayNanos, ended);
            }
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    /** One direction; {@code ended} runs once it is over (both over: the relay closes both sockets). */
    private static void pipe(Socket from, Socket to, long delayNanos, Runnable ended) {
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
}
