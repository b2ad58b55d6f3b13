package io.alknet.integration;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.api.interfaces.HostKeyVerification;
import io.alknet.api.stream.TransportStream;
import io.alknet.defaults.BuiltIns;
import io.alknet.interfaces.ssh.OpenSshKeys;
import io.alknet.kernel.Alknet;
import io.alknet.kernel.AlknetClient;
import io.alknet.kernel.AlknetServer;
import io.alknet.kernel.ClientOptions;
import io.alknet.kernel.ReconnectPolicy;
import io.alknet.testkit.Loopback;
import io.alknet.testkit.SlowPeers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Per-identity quotas end to end: two identities (alice, bob) log in with their own keys to one server and move bytes
 * through {@code -L} forwards at the same time. A policy {@code quota} line caps alice's bandwidth: she gets her cap
 * (within 10 %) in each direction while bob, uncapped, runs far above it; two channels under one cap share it evenly. A channel cap refuses the next channel with
 * the reason, and an authorized key's {@code quota="sessions=1"} refuses a second login. The accounting shows in
 * {@code /server/status} and on the metrics endpoint, survives a reload, and never names a destination.
 */
class QuotaTest {

    private static final long CAP = 10_000_000; // bytes per second
    private static final Duration WARM_UP = Duration.ofMillis(1500);
    private static final Duration MEASURED = Duration.ofSeconds(4);

    @TempDir
    Path dir;

    private Fixture fixture;
    private Path bobKey;
    private KeyPair bob;
    private String aliceId;

    @BeforeEach
    void keys() throws Exception {
        fixture = new Fixture(dir);
        bobKey = dir.resolve("bob_key");
        bob = OpenSshKeys.generate(bobKey, "bob");
        aliceId = OpenSshKeys.fingerprint(fixture.client.getPublic());
    }

    private void authorize(String aliceOptions) throws IOException {
        Files.writeString(fixture.authorizedKeys, aliceOptions + OpenSshKeys.publicKeyLine(fixture.client.getPublic(), "alice") + "\n"
                + OpenSshKeys.publicKeyLine(bob.getPublic(), "bob") + "\n");
    }

    private Path policy(String lines) throws IOException {
        Path policy = dir.resolve("policy.rules");
        Files.writeString(policy, lines + "\nallow *\n");
        return policy;
    }

    private ClientOptions.Builder bobClient(AlknetServer server) {
        return BuiltIns.client(server.listenAddresses().getFirst())
                .identity(bobKey)
                .user("bob")
                .stateDirectory(dir.resolve("bob-state"))
                .reconnect(ReconnectPolicy.NEVER)
                .hostKeys(new HostKeyVerification.Pinned(List.of(OpenSshKeys.fingerprint(fixture.host.getPublic()))));
    }

    private static int frontEndPort(AlknetClient client) {
        return ((InetSocketAddress) client.frontEndAddresses().getFirst().getFirst()).getPort();
    }

    @Test
    void aBandwidthCapHoldsOneIdentityToItsRateInBothDirectionsAndLeavesAnotherAlone() throws Exception {
        authorize("scopes=\"monitoring:read\" ");
        try (Endless source = Endless.source();
             Endless sink = Endless.sink();
             Loopback.EchoServer echo = new Loopback.EchoServer();
             AlknetServer server = Alknet.server(fixture.server()
                     .setting(BuiltIns.POLICY_FILE, policy("quota principal=alice rate=10MB/s name=alice-cap"))
                     .setting("metrics.prometheus.listen", "127.0.0.1:0").build());
             AlknetClient alice = Alknet.client(fixture.client(server).reconnect(ReconnectPolicy.NEVER)
                     .frontEnd(BuiltIns.localForward("0:127.0.0.1:" + source.port()))
                     .frontEnd(BuiltIns.localForward("0:127.0.0.1:" + sink.port()))
                     .frontEnd(BuiltIns.localForward("0:127.0.0.1:" + echo.port())).build());
             AlknetClient bobs = Alknet.client(bobClient(server)
                     .frontEnd(BuiltIns.localForward("0:127.0.0.1:" + source.port()))
                     .frontEnd(BuiltIns.localForward("0:127.0.0.1:" + sink.port())).build())) {
            // down: each reads from the endless source through its own -L, at the same time
            double[] down = measure(List.of(Flow.download(port(alice, 0)), Flow.download(port(bobs, 0))));
            assertThat(down[0]).as("alice's download, bytes/s").isCloseTo(CAP, within(CAP * 0.10));
            assertThat(down[1]).as("bob's download, bytes/s (uncapped)").isGreaterThan(CAP * 2.0);
            // up: each writes into the endless sink
            double[] up = measure(List.of(Flow.upload(port(alice, 1)), Flow.upload(port(bobs, 1))));
            assertThat(up[0]).as("alice's upload, bytes/s").isCloseTo(CAP, within(CAP * 0.10));
            assertThat(up[1]).as("bob's upload, bytes/s (uncapped)").isGreaterThan(CAP * 2.0);

            // a capped channel still carries every byte, in order, both ways
            byte[] payload = Loopback.randomBytes(8 * 1024 * 1024, 3);
            assertThat(Loopback.roundTrip(port(alice, 2), payload)).as("8 MiB through alice's capped echo forward").isEqualTo(payload);

            // the accounting: in /server/status, and kept across a reload
            Map<String, Object> before = account(alice, aliceId);
            assertThat((Number) before.get("bytesDown")).satisfies(n -> assertThat(n.longValue()).isGreaterThan(CAP * 3));
            assertThat((Number) before.get("bytesUp")).satisfies(n -> assertThat(n.longValue()).isGreaterThan(CAP * 3));
            assertThat(before.get("quota")).isEqualTo("rate-up=10000000/s,rate-down=10000000/s");
            server.reload();
            Map<String, Object> after = account(alice, aliceId);
            assertThat(((Number) after.get("bytesDown")).longValue()).as("bytes counted before the reload")
                    .isGreaterThanOrEqualTo(((Number) before.get("bytesDown")).longValue());
            String status = String.valueOf(alice.calls().call("/server/status", Map.of()).toCompletableFuture().get(30, TimeUnit.SECONDS));
            assertThat(status).as("status never names a destination").doesNotContain("127.0.0.1:" + source.port())
                    .doesNotContain(Integer.toString(sink.port()));

            // and on the metrics endpoint, per capped identity
            String scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + server.info().get("metrics.address")
                    + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(scrape.lines().filter(line -> line.startsWith("alknet_identity_bytes_total{") && line.contains(aliceId)
                    && line.contains("direction=\"down\"")).map(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))))
                    .singleElement().satisfies(value -> assertThat(value).isGreaterThan(CAP * 3.0));
        }
    }

    @Test
    void channelsOfOneCappedIdentityShareItsCapEvenly() throws Exception {
        authorize("quota=\"rate=10MB/s\" ");
        try (Endless source = Endless.source();
             AlknetServer server = Alknet.server(fixture.server().build());
             AlknetClient alice = Alknet.client(fixture.client(server).reconnect(ReconnectPolicy.NEVER)
                     .frontEnd(BuiltIns.localForward("0:127.0.0.1:" + source.port())).build())) {
            int local = frontEndPort(alice);
            double[] down = measure(List.of(Flow.download(local), Flow.download(local)));
            assertThat(down[0] + down[1]).as("both channels together, bytes/s").isCloseTo(CAP, within(CAP * 0.10));
            assertThat(down[0]).as("one channel's share, bytes/s").isCloseTo(CAP / 2.0, within(CAP / 2.0 * 0.25));
            assertThat(down[1]).as("the other's share, bytes/s").isCloseTo(CAP / 2.0, within(CAP / 2.0 * 0.25));
        }
    }

    /**
     * The cap's pauses and a slow peer's back-pressure together: a reader slower than the cap, and a target slower
     * than it, each get every byte (the checksums match), and every socket ends.
     */
    @Test
    void aCappedChannelGivesASlowReaderAndASlowTargetEveryByte() throws Exception {
        authorize("quota=\"rate=4MB/s\" ");
        byte[] body = Loopback.randomBytes(6 * 1024 * 1024 + 17, 21);
        long slow = 2_000_000;
        try (SlowPeers.Source source = new SlowPeers.Source(body, false);
             SlowPeers.Sink sink = new SlowPeers.Sink(slow);
             AlknetServer server = Alknet.server(fixture.server().build());
             AlknetClient alice = Alknet.client(fixture.client(server).reconnect(ReconnectPolicy.NEVER)
                     .frontEnd(BuiltIns.localForward("0:127.0.0.1:" + source.port()))
                     .frontEnd(BuiltIns.localForward("0:127.0.0.1:" + sink.port())).build())) {
            SlowPeers.Read read = SlowPeers.download(port(alice, 0), slow);
            assertThat(read.count()).as("bytes a slow reader got through the cap").isEqualTo(body.length);
            assertThat(read.sha256()).isEqualTo(SlowPeers.sha256(body));
            assertThat(SlowPeers.upload(port(alice, 1), body)).as("what the slow target read, by its checksum")
                    .isEqualTo(SlowPeers.sha256(body));
            assertThat(sink.nextEnd(30)).isEqualTo("end after " + body.length + " bytes");
            assertThat(SlowPeers.closeWait(10, port(alice, 0), port(alice, 1), source.port(), sink.port()))
                    .as("sockets left in CLOSE-WAIT").isEmpty();
        }
    }

    /** Past its bytes for the day an identity's open channel ends with an error, never a clean end, and no more open. */
    @Test
    void aDailyQuotaEndsTheOpenChannelWithAnErrorAndRefusesTheNext() throws Exception {
        authorize("quota=\"bytes-per-day=2MB\",scopes=\"monitoring:read\" ");
        byte[] body = Loopback.randomBytes(8 * 1024 * 1024, 22);
        try (SlowPeers.Source source = new SlowPeers.Source(body, false);
             AlknetServer server = Alknet.server(fixture.server().build());
             AlknetClient alice = Alknet.client(fixture.client(server).reconnect(ReconnectPolicy.NEVER)
                     .frontEnd(BuiltIns.localForward("0:127.0.0.1:" + source.port())).build())) {
            int local = frontEndPort(alice);
            // a reset, not the end of a short body: readSlowly throws on an error instead of taking it for the end
            assertThatThrownBy(() -> SlowPeers.download(local, 1L << 40)).isInstanceOf(IOException.class);
            assertThatThrownBy(() -> alice.tunnel().openChannel("127.0.0.1", source.port()).toCompletableFuture().join())
                    .isInstanceOf(CompletionException.class)
                    .cause().isInstanceOf(AlknetException.class)
                    .hasMessageContaining("the transfer quota for today is used up")
                    .hasMessageContaining("bytes-per-day=2000000")
                    .satisfies(e -> assertThat(((AlknetException) e).code()).isEqualTo(ErrorCode.QUOTA_EXCEEDED));
            Map<String, Object> account = account(alice, aliceId);
            assertThat(((Number) account.get("bytesToday")).longValue()).isGreaterThan(2_000_000);
            assertThat(((Number) account.get("refused")).longValue()).as("the ended channel and the refused one").isEqualTo(2);
            assertThat(SlowPeers.closeWait(10, local, source.port())).as("sockets left in CLOSE-WAIT").isEmpty();
        }
    }

    @Test
    void aChannelCapRefusesTheNextChannelWithTheReasonAndOtherIdentitiesKeepOpening() throws Exception {
        authorize("");
        try (Loopback.EchoServer echo = new Loopback.EchoServer();
             AlknetServer server = Alknet.server(fixture.server()
                     .setting(BuiltIns.POLICY_FILE, policy("quota principal=alice channels=2")).build());
             AlknetClient alice = Alknet.client(fixture.client(server).reconnect(ReconnectPolicy.NEVER).build());
             AlknetClient bobs = Alknet.client(bobClient(server).build())) {
            TransportStream first = alice.tunnel().openChannel("127.0.0.1", echo.port()).toCompletableFuture().join();
            TransportStream second = alice.tunnel().openChannel("127.0.0.1", echo.port()).toCompletableFuture().join();
            assertThatThrownBy(() -> alice.tunnel().openChannel("127.0.0.1", echo.port()).toCompletableFuture().join())
                    .isInstanceOf(CompletionException.class)
                    .cause().isInstanceOf(AlknetException.class)
                    .hasMessageContaining("too many channels for this identity")
                    .hasMessageContaining("channels=2")
                    .satisfies(e -> assertThat(((AlknetException) e).code()).isEqualTo(ErrorCode.QUOTA_EXCEEDED));
            List<TransportStream> bobsChannels = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                bobsChannels.add(bobs.tunnel().openChannel("127.0.0.1", echo.port()).toCompletableFuture().join());
            }
            // a closed channel gives its place back
            first.close();
            first.closeFuture().toCompletableFuture().get(30, TimeUnit.SECONDS);
            TransportStream third = awaitChannel(alice, echo.port());
            assertThat(third.isOpen()).isTrue();
            second.close();
            third.close();
            bobsChannels.forEach(TransportStream::close);
        }
    }

    @Test
    void aSessionCapOnTheKeyRefusesASecondLoginWithTheReason() throws Exception {
        authorize("quota=\"sessions=1\" ");
        try (Loopback.EchoServer echo = new Loopback.EchoServer();
             AlknetServer server = Alknet.server(fixture.server().build());
             AlknetClient first = Alknet.client(fixture.client(server).reconnect(ReconnectPolicy.NEVER).build())) {
            assertThat(first.connected()).isTrue();
            assertThatThrownBy(() -> Alknet.client(fixture.client(server).reconnect(ReconnectPolicy.NEVER)
                    .stateDirectory(dir.resolve("second-state")).build()).close())
                    .hasStackTraceContaining("too many sessions for this identity");
            byte[] payload = Loopback.randomBytes(64 * 1024, 7);
            try (AlknetClient forwarding = Alknet.client(bobClient(server)
                    .frontEnd(BuiltIns.localForward("0:127.0.0.1:" + echo.port())).build())) {
                assertThat(Loopback.roundTrip(frontEndPort(forwarding), payload)).as("another identity logs in").isEqualTo(payload);
            }
            // the refused login and bob's closed session end on the server a moment after the client sees them
            for (int i = 0; i < 100 && server.sessionCount() != 1; i++) {
                Thread.sleep(100);
            }
            assertThat(server.sessionCount()).as("alice's first session is the one left").isEqualTo(1);
            assertThat(first.connected()).isTrue();
        }
    }

    @Test
    void openSshSeesTheReasonsForARefusedChannelAndARefusedLogin() throws Exception {
        OpenSsh.requireInstalled();
        authorize("quota=\"sessions=1,channels=1\" ");
        try (Loopback.EchoServer echo = new Loopback.EchoServer();
             AlknetServer server = Alknet.server(fixture.server().build())) {
            int port = server.listenAddresses().getFirst().port();
            Path knownHosts = OpenSsh.knownHosts(dir, port, OpenSshKeys.publicKeyLine(fixture.host.getPublic(), ""));
            int local = Loopback.unusedPort();
            List<String> forwarding = OpenSsh.clientBase(fixture.clientKey, knownHosts, port);
            forwarding.addAll(List.of("-N", "-L", local + ":127.0.0.1:" + echo.port(), "alice@127.0.0.1"));
            try (OpenSsh.Running ssh = OpenSsh.start(forwarding, dir, "ssh-quota");
                 Socket held = awaitEchoing(local, ssh)) {
                int before = occurrences(ssh.stderr(), "too many channels");
                try (Socket refused = new Socket(InetAddress.getLoopbackAddress(), local)) {
                    awaitStderr(ssh, "open failed: resource shortage: too many channels for this identity", before);
                }
                List<String> second = OpenSsh.clientBase(fixture.clientKey, knownHosts, port);
                second.addAll(List.of("-N", "alice@127.0.0.1"));
                try (OpenSsh.Running again = OpenSsh.start(second, dir, "ssh-quota-second")) {
                    assertThat(again.process.waitFor(30, TimeUnit.SECONDS)).as("the second login ends").isTrue();
                    assertThat(again.stderr()).contains("too many sessions for this identity");
                }
            }
        }
    }

    /**
     * A connection through ssh's {@code -L} whose channel is open (it echoed a byte). Waiting for the port to listen
     * opens a channel too; until the server has seen that one close, the identity's one channel is taken.
     */
    private static Socket awaitEchoing(int port, OpenSsh.Running ssh) throws Exception {
        OpenSsh.awaitListening(port, ssh, Duration.ofSeconds(20));
        for (int attempt = 0; ; attempt++) {
            Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
            socket.setSoTimeout(15_000);
            socket.getOutputStream().write(1);
            int echoed;
            try {
                echoed = socket.getInputStream().read();
            } catch (java.net.SocketException reset) {
                echoed = -1;
            }
            if (echoed == 1) {
                return socket;
            }
            socket.close();
            assertThat(attempt).as("ssh reported: %s", ssh.stderr()).isLessThan(50);
            Thread.sleep(100);
        }
    }

    private static void awaitStderr(OpenSsh.Running running, String text, int before) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline && occurrences(running.stderr(), text) <= before) {
            Thread.sleep(50);
        }
        assertThat(occurrences(running.stderr(), text)).as("ssh reported: %s", running.stderr()).isGreaterThan(before);
    }

    private static int occurrences(String text, String what) {
        int count = 0;
        for (int at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + 1)) {
            count++;
        }
        return count;
    }

    /** The channel cap is checked when the close reached the server, which may be a moment after the client's. */
    private static TransportStream awaitChannel(AlknetClient client, int port) throws InterruptedException {
        for (int attempt = 0; ; attempt++) {
            try {
                return client.tunnel().openChannel("127.0.0.1", port).toCompletableFuture().join();
            } catch (CompletionException e) {
                if (attempt >= 50 || AlknetException.codeOf(e, ErrorCode.CONNECTION_FAILED) != ErrorCode.QUOTA_EXCEEDED) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> account(AlknetClient client, String id) throws Exception {
        Map<String, Object> status = (Map<String, Object>) client.calls().call("/server/status", Map.of())
                .toCompletableFuture().get(30, TimeUnit.SECONDS);
        List<Map<String, Object>> identities = (List<Map<String, Object>>) status.get("identities");
        return identities.stream().filter(account -> id.equals(account.get("id"))).findFirst().orElseThrow();
    }

    private static int port(AlknetClient client, int frontEnd) {
        return ((InetSocketAddress) client.frontEndAddresses().get(frontEnd).getFirst()).getPort();
    }

    /**
     * Runs the flows together and returns each one's steady rate in bytes per second: the bytes it moved in
     * {@link #MEASURED} after {@link #WARM_UP} (which fills the windows and buffers on the way).
     */
    private static double[] measure(List<Flow> flows) throws Exception {
        try {
            flows.forEach(Flow::start);
            Thread.sleep(WARM_UP);
            long[] startBytes = flows.stream().mapToLong(Flow::bytes).toArray();
            long start = System.nanoTime();
            Thread.sleep(MEASURED);
            long elapsed = System.nanoTime() - start;
            double[] rates = new double[flows.size()];
            for (int i = 0; i < flows.size(); i++) {
                rates[i] = (flows.get(i).bytes() - startBytes[i]) * 1e9 / elapsed;
                assertThat(flows.get(i).failure()).as("flow %d", i).isNull();
            }
            System.out.printf("QuotaTest: steady rates %s bytes/s%n", java.util.Arrays.toString(rates));
            return rates;
        } finally {
            for (Flow flow : flows) {
                flow.close();
            }
        }
    }

    /** A client socket that reads or writes as fast as the tunnel lets it, counting bytes. */
    private static final class Flow implements AutoCloseable {
        private final Socket socket;
        private final boolean download;
        private final AtomicLong bytes = new AtomicLong();
        private volatile Throwable failure;
        private volatile boolean closing;
        private Thread thread;

        private Flow(int port, boolean download) throws IOException {
            this.socket = new Socket(InetAddress.getLoopbackAddress(), port);
            this.download = download;
        }

        static Flow download(int port) throws IOException {
            return new Flow(port, true);
        }

        static Flow upload(int port) throws IOException {
            return new Flow(port, false);
        }

        void start() {
            thread = Thread.ofPlatform().daemon().start(() -> {
                byte[] buffer = new byte[64 * 1024];
                try {
                    if (download) {
                        InputStream in = socket.getInputStream();
                        for (int n; (n = in.read(buffer)) >= 0; ) {
                            bytes.addAndGet(n);
                        }
                    } else {
                        OutputStream out = socket.getOutputStream();
                        while (true) {
                            out.write(buffer);
                            bytes.addAndGet(buffer.length);
                        }
                    }
                } catch (IOException e) {
                    if (!closing) {
                        failure = e;
                    }
                }
            });
        }

        long bytes() {
            return bytes.get();
        }

        Throwable failure() {
            return failure;
        }

        @Override
        public void close() throws Exception {
            closing = true;
            socket.close();
            thread.join(10_000);
        }
    }

    /** A loopback server that sends (a source) or takes (a sink) bytes endlessly on every connection. */
    private static final class Endless implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());

        private Endless(boolean send) throws IOException {
            Thread.ofPlatform().daemon().start(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket socket = server.accept();
                        Thread.ofPlatform().daemon().start(() -> serve(socket, send));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        static Endless source() throws IOException {
            return new Endless(true);
        }

        static Endless sink() throws IOException {
            return new Endless(false);
        }

        private static void serve(Socket socket, boolean send) {
            byte[] buffer = Loopback.randomBytes(64 * 1024, 11);
            try (socket) {
                if (send) {
                    OutputStream out = socket.getOutputStream();
                    while (true) {
                        out.write(buffer);
                    }
                }
                InputStream in = socket.getInputStream();
                while (in.read(buffer) >= 0) {
                    // taken
                }
            } catch (IOException e) {
                // the client went away: this connection is done
            }
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
