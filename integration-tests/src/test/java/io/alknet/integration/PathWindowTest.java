package io.alknet.integration;

import io.alknet.api.transport.TransportAddress;
import io.alknet.defaults.BuiltIns;
import io.alknet.kernel.Alknet;
import io.alknet.kernel.AlknetClient;
import io.alknet.kernel.AlknetServer;
import io.alknet.kernel.ClientOptions;
import io.alknet.testkit.DelayedPath;
import io.alknet.testkit.Loopback;
import io.alknet.testkit.SlowPeers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Windows sized to the path (issue 26): over a 50 ms round trip (a {@link DelayedPath} on loopback in front of the
 * server) a channel's receive window grows on the side that receives, the bytes arrive intact both ways, and the
 * session's window budget bounds what all of its channels grow by together and comes back when they close. The
 * throughput it buys is measured by {@code bench/netem.sh}, not here.
 */
class PathWindowTest {

    private static final Duration ONE_WAY = Duration.ofMillis(25);
    private static final int BYTES = 32 << 20;
    private static final long INITIAL = 2L << 20;
    private static final Pattern GROWN = Pattern.compile("ssh (server|client) channel \\d+: receive window (\\d+) -> (\\d+) bytes");

    @TempDir
    Path dir;

    private Fixture fixture;
    private byte[] body;
    private String sha256;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new Fixture(dir);
        body = Loopback.randomBytes(BYTES, 26);
        sha256 = SlowPeers.sha256(body);
        LogCapture.clear();
    }

    @Test
    void theReceivingSideGrowsItsWindowAndNothingIsLost() throws Exception {
        try (SlowPeers.Sink sink = new SlowPeers.Sink(Long.MAX_VALUE);
             SlowPeers.Source source = new SlowPeers.Source(body, false);
             AlknetServer server = Alknet.server(fixture.server().build());
             DelayedPath path = new DelayedPath(0, port(server), ONE_WAY);
             AlknetClient client = Alknet.client(client(path)
                     .frontEnd(BuiltIns.localForward("0:127.0.0.1:" + sink.port()))
                     .frontEnd(BuiltIns.localForward("0:127.0.0.1:" + source.port())).build())) {
            assertThat(SlowPeers.upload(frontEndPort(client, 0), body)).as("what the target got").isEqualTo(sha256);
            assertThat(SlowPeers.download(frontEndPort(client, 1), Long.MAX_VALUE))
                    .isEqualTo(new SlowPeers.Read(body.length, sha256));
        }
        // the upload's window is the server's, the download's the client's: each grew from where it started
        assertThat(growths("server")).as("server windows").isNotEmpty().allSatisfy(g -> assertThat(g.to()).isGreaterThan(g.from()));
        assertThat(growths("client")).as("client windows").isNotEmpty();
        assertThat(growths("server").getFirst().from()).isEqualTo(INITIAL);
    }

    @Test
    void theSessionBudgetBoundsWhatItsChannelsGrowByAndComesBackWhenTheyClose() throws Exception {
        long budget = 2L << 20;
        try (SlowPeers.Sink sink = new SlowPeers.Sink(Long.MAX_VALUE);
             AlknetServer server = Alknet.server(fixture.server().setting("interface.ssh.window-budget", Long.toString(budget)).build());
             DelayedPath path = new DelayedPath(0, port(server), ONE_WAY);
             AlknetClient client = Alknet.client(client(path)
                     .frontEnd(BuiltIns.localForward("0:127.0.0.1:" + sink.port())).build());
             ExecutorService uploads = Executors.newVirtualThreadPerTaskExecutor()) {
            int local = frontEndPort(client, 0);
            // two channels, both open (neither half-closed) until both bodies are written: what they grew by meanwhile
            // is bounded together (once one ends, the other may take its share, so the count is taken before)
            List<Growth> together;
            try (Socket first = SlowPeers.connect(local); Socket second = SlowPeers.connect(local)) {
                List<Future<?>> both = List.of(uploads.submit(() -> send(first)), uploads.submit(() -> send(second)));
                for (Future<?> upload : both) {
                    upload.get(120, TimeUnit.SECONDS);
                }
                together = growths("server");
                assertThat(answer(first)).isEqualTo(sha256);
                assertThat(answer(second)).isEqualTo(sha256);
            }
            assertThat(together).as("two channels at once").isNotEmpty();
            assertThat(together.stream().mapToLong(g -> g.to() - g.from()).sum()).as("grown in all").isLessThanOrEqualTo(budget);

            // both channels closed: their growth is the session's again
            LogCapture.clear();
            assertThat(SlowPeers.upload(local, body)).isEqualTo(sha256);
            assertThat(growths("server")).as("a channel after they closed").isNotEmpty()
                    .allSatisfy(g -> assertThat(g.from()).isEqualTo(INITIAL));
        }
    }

    private ClientOptions.Builder client(DelayedPath path) {
        return fixture.client(TransportAddress.of("tcp", "127.0.0.1", path.port())).setting("interface.ssh.window-size", Long.toString(INITIAL));
    }

    private Void send(Socket socket) throws Exception {
        socket.getOutputStream().write(body);
        return null;
    }

    /** Half-closes and reads the sink's answer (the SHA-256 of what it got). */
    private static String answer(Socket socket) throws Exception {
        socket.shutdownOutput();
        return new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
    }

    private static int port(AlknetServer server) {
        return server.listenAddresses().getFirst().port();
    }

    private static int frontEndPort(AlknetClient client, int index) {
        return ((InetSocketAddress) client.frontEndAddresses().get(index).getFirst()).getPort();
    }

    private record Growth(long from, long to) {
    }

    private static List<Growth> growths(String side) {
        return LogCapture.matching("receive window").stream()
                .map(GROWN::matcher)
                .filter(Matcher::find)
                .filter(m -> m.group(1).equals(side))
                .map(m -> new Growth(Long.parseLong(m.group(2)), Long.parseLong(m.group(3))))
                .toList();
    }
}
