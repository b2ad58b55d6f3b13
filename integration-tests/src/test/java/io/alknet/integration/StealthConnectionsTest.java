package io.alknet.integration;

import io.alknet.api.identity.AuthToken;
import io.alknet.defaults.BuiltIns;
import io.alknet.interfaces.ssh.OpenSshKeys;
import io.alknet.kernel.Alknet;
import io.alknet.kernel.AlknetServer;
import io.alknet.kernel.ServerOptions;
import io.alknet.testkit.Loopback;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every connection the stealth TLS port accepts ends: when the client closes or half-closes it in any state (during
 * the sniff, in the middle of a request line, after an answer, after a call-protocol request), and, when the client
 * just stays, after nginx's timeouts. Counted in file descriptors of this JVM and in the kernel's socket table.
 */
class StealthConnectionsTest {

    private static final int CONNECTIONS = 1000;

    @TempDir
    Path dir;

    private Fixture fixture;
    private Path cert;
    private Path key;

    @BeforeEach
    void certificates() throws Exception {
        fixture = new Fixture(dir);
        cert = dir.resolve("cert.pem");
        key = dir.resolve("key.pem");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                "-nodes", "-keyout", key.toString(), "-out", cert.toString(), "-days", "2", "-subj", "/CN=localhost")
                .redirectErrorStream(true).start();
        openssl.getInputStream().readAllBytes();
        assertThat(openssl.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(openssl.exitValue()).isZero();
    }

    private ServerOptions.Builder stealthServer() throws IOException {
        return fixture.server()
                .listen(BuiltIns.ssh("tls://127.0.0.1:0"))
                .setting("transport.tls.cert", cert.toString())
                .setting("transport.tls.key", key.toString())
                .setting("transport.tls.stealth", "true")
                .setting("interface.http.listen", "127.0.0.1:" + Loopback.unusedPort());
    }

    private static int tlsPort(AlknetServer server) {
        return server.listenAddresses().stream().filter(address -> address.scheme().equals("tls")).findFirst().orElseThrow().port();
    }

    @Test
    void aThousandConnectionsThatTheClientsEndLeaveNoSocketBehind() throws Exception {
        try (AlknetServer server = Alknet.server(stealthServer().build())) {
            int port = tlsPort(server);
            String token = AuthToken.sign(OpenSshKeys.publicKeyBlob(fixture.client.getPublic()), fixture.client.getPrivate(),
                    Instant.now()).encode();
            // warm up (class loading, TLS contexts, the HTTP interface's threads) before the baseline is taken
            for (int i = 0; i < 8; i++) {
                visit(port, i, token);
            }
            awaitNoServerSockets(port);
            long baseline = openFileDescriptors();

            List<Future<?>> visits = new ArrayList<>();
            try (ExecutorService clients = Executors.newFixedThreadPool(16)) {
                for (int i = 0; i < CONNECTIONS; i++) {
                    int kind = i;
                    visits.add(clients.submit(() -> {
                        visit(port, kind, token);
                        return null;
                    }));
                }
                for (Future<?> visit : visits) {
                    visit.get(120, TimeUnit.SECONDS);
                }
            }
            // the server's idle timeouts are nginx's (60 s, 75 s): every socket here must end long before, because
            // its client ended it
            awaitNoServerSockets(port);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (openFileDescriptors() > baseline + 5 && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(openFileDescriptors()).as("open file descriptors of this JVM (%d before the visits)", baseline)
                    .isLessThanOrEqualTo(baseline + 5);
        }
    }

    @Test
    void connectionsTheirClientsLeaveOpenEndAfterNginxsTimeouts() throws Exception {
        try (AlknetServer server = Alknet.server(stealthServer()
                .setting("transport.tls.sniff-timeout", "2s")
                .setting("transport.tls.keepalive-timeout", "2s").build())) {
            int port = tlsPort(server);
            List<Socket> idle = new ArrayList<>();
            try {
                // TCP only: no handshake
                idle.add(connect(port));
                // a handshake, then nothing
                Socket handshake = connect(port);
                TrustingTls.layered(handshake, port).startHandshake();
                idle.add(handshake);
                // half a request line
                Socket partial = connect(port);
                send(TrustingTls.layered(partial, port), "GET /ind");
                idle.add(partial);
                // an answer on a keep-alive connection, then nothing
                Socket keepAlive = connect(port);
                exchange(TrustingTls.layered(keepAlive, port), "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
                idle.add(keepAlive);
                // a request whose announced body never comes
                Socket noBody = connect(port);
                exchange(TrustingTls.layered(noBody, port), "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n");
                idle.add(noBody);
                for (Socket socket : idle) {
                    // the server ends each (the read gets the end, never the 30 s socket timeout)
                    assertThat(endsWithin30Seconds(socket)).as("connection %d of %s", idle.indexOf(socket), idle).isTrue();
                }
            } finally {
                for (Socket socket : idle) {
                    socket.close();
                }
            }
            awaitNoServerSockets(port);
        }
    }

    private static Socket connect(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(30_000);
        return socket;
    }

    /** Reads the raw socket (under any TLS) until the server closes it: true, or the socket timeout: false. */
    private static boolean endsWithin30Seconds(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        try {
            while (in.read(new byte[4096]) >= 0) {
                // TLS records (a close_notify, session tickets): not what this test is about
            }
            return true;
        } catch (java.net.SocketTimeoutException stillOpen) {
            return false;
        } catch (java.net.SocketException reset) {
            return true;
        }
    }

    /**
     * One visit of a kind: half of them call-protocol requests under {@code /v1/} (with a valid token, a wrong one,
     * none), the other half clients that give up while the server waits for them.
     */
    private static void visit(int port, int kind, String token) throws Exception {
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            plain.setSoTimeout(30_000);
            SSLSocket tls = TrustingTls.layered(plain, port);
            switch (kind % 8) {
                case 0 -> exchange(tls, post("/v1/call/health/ping", "Authorization: Bearer " + token + "\r\n"));
                case 1 -> exchange(tls, post("/v1/call/health/ping", "Authorization: Bearer alk_wrong\r\n"));
                case 2 -> exchange(tls, post("/v1/call/health/ping", ""));
                case 3 -> {
                    exchange(tls, "GET /v1/ops HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token + "\r\n\r\n");
                    tls.close(); // close_notify, then FIN
                }
                case 4 -> tls.startHandshake(); // then FIN without a word: the server is sniffing
                case 5 -> {
                    send(tls, "GET /index.ht"); // FIN in the middle of the request line
                }
                case 6 -> {
                    send(tls, "GET /index.ht");
                    plain.shutdownOutput(); // half-close: the server must end its half too
                    assertThat(drain(tls)).isEmpty();
                }
                case 7 -> {
                    tls.startHandshake();
                    plain.shutdownOutput();
                    assertThat(drain(tls)).isEmpty();
                }
                default -> throw new IllegalStateException();
            }
        }
    }

    private static String post(String path, String headers) {
        return "POST " + path + " HTTP/1.1\r\nHost: x\r\n" + headers + "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}";
    }

    /** Sends a keep-alive request and reads one answer (head and Content-Length body); the connection stays. */
    private static void exchange(SSLSocket tls, String request) throws IOException {
        send(tls, request);
        InputStream in = tls.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int next = in.read();
            assertThat(next).as("answer to %s so far: %s", request.lines().findFirst().orElse(""), head).isNotNegative();
            head.append((char) next);
        }
        int length = head.toString().lines().filter(line -> line.regionMatches(true, 0, "Content-Length:", 0, 15))
                .map(line -> Integer.parseInt(line.substring(15).strip())).findFirst().orElse(0);
        assertThat(in.readNBytes(length)).hasSize(length);
    }

    private static void send(SSLSocket tls, String text) throws IOException {
        tls.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        tls.getOutputStream().flush();
    }

    /** What the server sends until it closes (it must close). */
    private static byte[] drain(SSLSocket tls) throws IOException {
        try {
            return tls.getInputStream().readAllBytes();
        } catch (javax.net.ssl.SSLException closedWithoutNotify) {
            return new byte[0];
        }
    }

    /** Waits until no server-side socket of {@code port} is left (all clients here have closed theirs). */
    private static void awaitNoServerSockets(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        List<String> left = serverSockets(port);
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(200);
            left = serverSockets(port);
        }
        assertThat(left).as("server sockets of port %d still open (state, peer)", port).isEmpty();
    }

    /** The server's sockets of {@code port} that are not closed yet, as {@code STATE peer}, from {@code ss}. */
    static List<String> serverSockets(int port) throws Exception {
        Process ss = new ProcessBuilder("ss", "-Htan", "( sport = :" + port + " )").redirectErrorStream(true).start();
        String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(ss.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return out.lines().map(String::strip).filter(line -> !line.isEmpty())
                .map(line -> line.split("\\s+"))
                // the listening socket stays; TIME-WAIT is the kernel's, no descriptor
                .filter(fields -> !fields[0].equals("LISTEN") && !fields[0].equals("TIME-WAIT"))
                .map(fields -> fields[0] + " " + fields[fields.length - 1]).toList();
    }

    static long openFileDescriptors() throws IOException {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }
}
