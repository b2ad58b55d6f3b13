package io.alknet.cli;

import io.alknet.api.interfaces.HostKeyVerification;
import io.alknet.defaults.BuiltIns;
import io.alknet.interfaces.ssh.OpenSshKeys;
import io.alknet.kernel.Alknet;
import io.alknet.kernel.AlknetClient;
import io.alknet.kernel.AlknetServer;
import io.alknet.kernel.ReconnectPolicy;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The workload {@code alknet demo --train} runs while the launcher records the JDK 25 start-up cache
 * ({@code -XX:AOTCacheOutput}, JEP 483/515): a server and a client in this process on loopback, a bulk {@code -L}
 * transfer in each cipher and a few thousand SOCKS5 connects, so the cache holds the classes and the method
 * profiles of the paths a real session runs, not only those of a login. Targets are sockets this class opens on
 * loopback itself; nothing leaves the machine.
 *
 * <p>Bounded by bytes and by time (whichever ends first), so a slow build machine trains in about the same time.
 * Called once from the picocli thread; not thread-safe.
 */
final class AotTraining {

    /** The ciphers a session may negotiate, each trained: the cache keeps the profile of every one. */
    static final List<String> CIPHERS = List.of("aes128-gcm", "aes256-gcm", "chacha20-poly1305");

    private static final int CHUNK = 64 * 1024;

    private final long bulkBytes;
    private final Duration bulkTime;
    private final int socksConnects;
    private final Duration socksTime;

    AotTraining(long bulkBytes, Duration bulkTime, int socksConnects, Duration socksTime) {
        this.bulkBytes = bulkBytes;
        this.bulkTime = Objects.requireNonNull(bulkTime, "bulkTime");
        this.socksConnects = socksConnects;
        this.socksTime = Objects.requireNonNull(socksTime, "socksTime");
    }

    /** The launcher's training: per cipher up to 768 MB or 3 s, then up to 3,000 SOCKS5 connects or 8 s. */
    static AotTraining standard() {
        return new AotTraining(768L << 20, Duration.ofSeconds(3), 3_000, Duration.ofSeconds(8));
    }

    /** Runs the workload with keys under {@code dir}; prints one line per step to {@code out}. */
    void run(Path dir, PrintWriter out) throws Exception {
        Path hostKey = dir.resolve("host_ed25519");
        Path clientKey = dir.resolve("id_ed25519");
        KeyPair host = OpenSshKeys.generate(hostKey, "train-host");
        KeyPair user = OpenSshKeys.generate(clientKey, "train-user");
        Path authorizedKeys = dir.resolve("authorized_keys");
        java.nio.file.Files.writeString(authorizedKeys, OpenSshKeys.publicKeyLine(user.getPublic(), "train-user") + "\n");
        String fingerprint = OpenSshKeys.fingerprint(host.getPublic());

        try (Sink sink = Sink.start();
             AlknetServer server = Alknet.server(BuiltIns.server()
                     .listen(BuiltIns.ssh("tcp://127.0.0.1:0"))
                     .setting(BuiltIns.HOST_KEY, hostKey)
                     .setting(BuiltIns.AUTHORIZED_KEYS, authorizedKeys)
                     .stateDirectory(dir.resolve("state"))
                     .build())) {
            boolean socksDone = false;
            for (String cipher : CIPHERS) {
                try (AlknetClient client = Alknet.client(BuiltIns.client(server.listenAddresses().getFirst())
                        .identity(clientKey)
                        .user("train")
                        .hostKeys(new HostKeyVerification.Pinned(List.of(fingerprint)))
                        .frontEnd(BuiltIns.localForward("127.0.0.1:0:127.0.0.1:" + sink.port()))
                        .frontEnd(BuiltIns.socks5("127.0.0.1:0"))
                        .setting("interface.ssh.ciphers", cipher)
                        .stateDirectory(dir.resolve("client-state-" + cipher))
                        .reconnect(ReconnectPolicy.NEVER)
                        .build())) {
                    int forward = port(client, 0);
                    long start = System.nanoTime();
                    long sent = bulk(forward);
                    step(out, cipher + ": " + (sent >> 20) + " MB through -L in " + millis(start) + " ms");
                    if (!socksDone) {
                        // SOCKS connects once, in the default cipher: the channel set-up does not depend on it
                        start = System.nanoTime();
                        int connects = socks(port(client, 1), sink.port());
                        step(out, connects + " SOCKS5 connects in " + millis(start) + " ms");
                        socksDone = true;
                    }
                }
            }
        }
    }

    private long bulk(int port) throws IOException {
        byte[] chunk = new byte[CHUNK];
        long deadline = System.nanoTime() + bulkTime.toNanos();
        long sent = 0;
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            while (sent < bulkBytes && System.nanoTime() < deadline) {
                out.write(chunk);
                sent += chunk.length;
            }
            socket.shutdownOutput();
            // the sink answers with one byte once it has read everything: the whole transfer crossed the tunnel
            if (socket.getInputStream().read() < 0) {
                throw new IOException("the bulk transfer ended before the sink confirmed it");
            }
        }
        return sent;
    }

    private int socks(int proxy, int target) throws IOException {
        byte[] request = ByteBuffer.allocate(13).put(new byte[] {5, 1, 0, 5, 1, 0, 1, 127, 0, 0, 1})
                .putShort((short) target).array();
        byte[] reply = new byte[12];
        long deadline = System.nanoTime() + socksTime.toNanos();
        int done = 0;
        while (done < socksConnects && System.nanoTime() < deadline) {
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy)) {
                socket.setTcpNoDelay(true);
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(request);
                new DataInputStream(socket.getInputStream()).readFully(reply);
                if (reply[1] != 0 || reply[3] != 0) {
                    throw new IOException("SOCKS5 connect " + done + " failed: reply " + reply[1]);
                }
            }
            done++;
        }
        return done;
    }

    private static int port(AlknetClient client, int frontEnd) {
        return ((InetSocketAddress) client.frontEndAddresses().get(frontEnd).getFirst()).getPort();
    }

    private static long millis(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static void step(PrintWriter out, String text) {
        out.println("[train] " + text);
        out.flush();
    }

    /** A loopback target: reads each connection to its end, then writes one byte and closes. */
    private record Sink(ServerSocket socket) implements AutoCloseable {

        static Sink start() throws IOException {
            ServerSocket socket = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
            Thread.ofVirtual().name("train-sink").start(() -> {
                while (!socket.isClosed()) {
                    try {
                        Socket accepted = socket.accept();
                        Thread.ofVirtual().start(() -> drain(accepted));
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            return new Sink(socket);
        }

        private static void drain(Socket accepted) {
            try (accepted) {
                InputStream in = accepted.getInputStream();
                in.transferTo(OutputStream.nullOutputStream());
                accepted.getOutputStream().write('!');
            } catch (IOException ignored) {
                // a SOCKS connect closes without reading the byte
            }
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
