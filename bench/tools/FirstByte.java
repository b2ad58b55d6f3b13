import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Time to first byte of a new session: starts a client command that forwards LOCAL_PORT to a byte
 * server (started here), and measures from process start until the first byte arrives through the
 * forward. Repeats ROUNDS times; prints the median in milliseconds.
 *
 * usage: java FirstByte.java ROUNDS LOCAL_PORT BYTE_PORT -- COMMAND... (COMMAND may contain {byteport})
 */
public class FirstByte {
    public static void main(String[] args) throws Exception {
        int rounds = Integer.parseInt(args[0]);
        int localPort = Integer.parseInt(args[1]);
        int bytePort = Integer.parseInt(args[2]);
        List<String> command = Arrays.asList(args).subList(4, args.length);
        try (ServerSocket bytes = new ServerSocket(bytePort, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                while (!bytes.isClosed()) {
                    try (Socket s = bytes.accept()) {
                        s.getOutputStream().write('!');
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            long[] results = new long[rounds];
            for (int r = 0; r < rounds; r++) {
                long start = System.nanoTime();
                Process process = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                try {
                    results[r] = firstByte(localPort, start);
                } finally {
                    process.destroy();
                    if (!process.waitFor(10, TimeUnit.SECONDS)) {
                        process.destroyForcibly().waitFor();
                    }
                }
                Thread.sleep(200);
            }
            Arrays.sort(results);
            System.out.printf("%.1f%n", results[rounds / 2] / 1e6);
        }
    }

    private static long firstByte(int port, long start) throws Exception {
        long deadline = start + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                socket.setSoTimeout(5_000);
                InputStream in = socket.getInputStream();
                if (in.read() == '!') {
                    return System.nanoTime() - start;
                }
            } catch (Exception notYet) {
                Thread.sleep(5);
            }
        }
        throw new IllegalStateException("no first byte within 30 s from " + port);
    }
}
