package io.alknet.integration;

import ch.qos.logback.classic.LoggerContext;
import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.api.stream.TransportStream;
import io.alknet.defaults.BuiltIns;
import io.alknet.kernel.Alknet;
import io.alknet.kernel.AlknetClient;
import io.alknet.kernel.AlknetServer;
import io.alknet.kernel.FrontEndSpec;
import io.alknet.testkit.Loopback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class TunnelEndToEndTest {

    @TempDir
    Path dir;

    @Test
    void bytesThroughALocalForwardArriveIdentical() throws Exception {
        Fixture fixture = new Fixture(dir);
        try (Loopback.EchoServer echo = new Loopback.EchoServer();
             AlknetServer server = Alknet.server(fixture.server().build());
             AlknetClient client = Alknet.client(fixture.client(server)
                     .frontEnd(BuiltIns.localForward("0:127.0.0.1:" + echo.port())).build())) {
            InetSocketAddress local = (InetSocketAddress) client.frontEndAddresses().getFirst().getFirst();
            byte[] payload = Loopback.randomBytes(3 * 1024 * 1024, 42);
            byte[] echoed = Loopback.roundTrip(local.getPort(), payload);
            assertThat(echoed.length).isEqualTo(payload.length);
            assertThat(echoed).isEqualTo(payload);
        }
    }

    @Test
    void bytesSurviveManyKeyReExchangesInFlight() throws Exception {
        Fixture fixture = new Fixture(dir);
        // re-key every 256 KiB on both sides: tens of key exchanges while data flows both ways
        try (Loopback.EchoServer echo = new Loopback.EchoServer();
             AlknetServer server = Alknet.server(fixture.server().setting("interface.ssh.rekey-limit", "262144").build());
             AlknetClient client = Alknet.client(fixture.client(server).setting("interface.ssh.rekey-limit", "262144")
                     .frontEnd(BuiltIns.localForward("0:127.0.0.1:" + echo.port())).build())) {
            InetSocketAddress local = (InetSocketAddress) client.frontEndAddresses().getFirst().getFirst();
            byte[] payload = Loopback.randomBytes(12 * 1024 * 1024, 43);
            assertThat(Loopback.roundTrip(local.getPort(), payload)).isEqualTo(payload);
        }
    }

    @Test
    void sessionsLeaveNoLoggerOfTheirOwnBehind() throws Exception {
        Fixture fixture = new Fixture(dir);
        LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
        try (AlknetServer server = Alknet.server(fixture.server().build())) {
            int after2 = 0;
            for (int i = 0; i < 6; i++) {
                try (AlknetClient client = Alknet.client(fixture.client(server).build())) {
                    assertThat(client.connected()).isTrue();
                }
                if (i == 1) {
                    after2 = logging.getLoggerList().size(); // loggers made on first use exist by now
                }
            }
            // Logback keeps every logger it ever made: a name per session (MINA's "discriminator") grows forever
            assertThat(logging.getLoggerList().size()).as("loggers after 6 sessions, against after 2").isEqualTo(after2);
        }
    }

    @Test
    void aStoppedServerLeavesNoThreadOfItsOwnBehind() throws Exception {
        Fixture fixture = new Fixture(dir);
        List<String> before = serverThreads(); // servers other tests in this JVM still run
        for (int i = 0; i < 3; i++) {
            try (AlknetServer server = Alknet.server(fixture.server().build());
                 AlknetClient client = Alknet.client(fixture.client(server).build())) {
                assertThat(client.connected()).isTrue();
                assertThat(serverThreads()).as("the running server's SSH timer").hasSizeGreaterThan(before.size());
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!before.containsAll(serverThreads()) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(serverThreads()).as("SSH server threads after the servers stopped").isSubsetOf(before);
    }

    @Test
    void aChannelStillOpeningFailsWhenTheSessionEnds() throws Exception {
        Fixture fixture = new Fixture(dir);
        // A target whose accept queue is full: Linux drops further SYNs, so dialling it hangs and the server
        // never answers the channel open. Where a full queue refuses instead, this state cannot be built so.
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> queued = new ArrayList<>();
            try {
                boolean hangs = false;
                for (int i = 0; i < 64 && !hangs; i++) {
                    Socket socket = new Socket();
                    queued.add(socket);
                    try {
                        socket.connect(new InetSocketAddress(full.getInetAddress(), full.getLocalPort()), 300);
                    } catch (SocketTimeoutException timedOut) {
                        hangs = true;
                    }
                }
                assumeTrue(hangs, "a dial to a listener with a full accept queue hangs here (Linux drops the SYN)");
                AlknetServer server = Alknet.server(fixture.server().build());
                try (AlknetClient client = Alknet.client(fixture.client(server).build())) {
                    CompletableFuture<TransportStream> opening =
                            client.tunnel().openChannel("127.0.0.1", full.getLocalPort()).toCompletableFuture();
                    Thread.sleep(300);
                    assertThat(opening).as("the server is still dialling").isNotDone();
                    server.close();
                    assertThat(opening).failsWithin(Duration.ofSeconds(10))
                            .withThrowableOfType(ExecutionException.class)
                            .havingCause().isInstanceOfSatisfying(AlknetException.class,
                                    e -> assertThat(e.code()).isEqualTo(ErrorCode.SESSION_CLOSED));
                } finally {
                    server.close();
                }
            } finally {
                for (Socket socket : queued) {
                    socket.close();
                }
            }
        }
    }

    private static List<String> serverThreads() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).filter(name -> name.contains("StreamSshServer")).toList();
    }
}
