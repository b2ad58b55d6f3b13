import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * SOCKS5 CONNECT latency: opens COUNT connections through a SOCKS5 proxy to a local sink (started here on
 * SINK_PORT), one after the other, each timed from TCP connect to the proxy until the success reply;
 * prints "p50_ms p99_ms first_p50_ms", the last over the first (up to) 1,000 warm-up connects.
 *
 * usage: java SocksLatency.java PROXY_PORT SINK_PORT COUNT
 */
public class SocksLatency {
    public static void main(String[] args) throws Exception {
        int proxy = Integer.parseInt(args[0]);
        int target = Integer.parseInt(args[1]);
        int count = Integer.parseInt(args[2]);
        java.net.ServerSocket sink = new java.net.ServerSocket(target, 200, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (true) {
                try {
                    Socket accepted = sink.accept();
                    Thread.ofVirtual().start(() -> {
                        try (accepted) {
                            accepted.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
                        } catch (Exception ignored) {
                            // done
                        }
                    });
                } catch (Exception e) {
                    return;
                }
            }
        });
        byte[] request = ByteBuffer.allocate(3 + 10).put(new byte[] {5, 1, 0, 5, 1, 0, 1, 127, 0, 0, 1})
                .putShort((short) target).array();
        // Warm up first: a JVM peer needs thousands of requests before its JIT has compiled the path. The
        // first (up to) 1,000 of them are timed too: how the proxy does before that.
        int warmUp = Integer.parseInt(System.getProperty("warmup", "3000"));
        long[] first = new long[Math.min(1000, warmUp)];
        for (int warm = 0; warm < warmUp; warm++) {
            long nanos = once(proxy, request);
            if (warm < first.length) {
                first[warm] = nanos;
            }
        }
        long[] nanos = new long[count];
        for (int i = 0; i < count; i++) {
            nanos[i] = once(proxy, request);
        }
        Arrays.sort(nanos);
        Arrays.sort(first);
        System.out.printf("%.3f %.3f %s%n", nanos[count / 2] / 1e6, nanos[(int) Math.min(count - 1, Math.ceil(count * 0.99) - 1)] / 1e6,
                first.length == 0 ? "-" : String.format("%.3f", first[first.length / 2] / 1e6));
    }

    private static long once(int proxy, byte[] request) throws Exception {
        long start = System.nanoTime();
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy)) {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request);
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] reply = new byte[2 + 10];
            in.readFully(reply);
            if (reply[3] != 0) {
                throw new IllegalStateException("SOCKS5 reply " + reply[3]);
            }
            return System.nanoTime() - start;
        }
    }
}
