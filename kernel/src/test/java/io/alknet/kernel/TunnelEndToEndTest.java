package io.alknet.kernel;

import io.alknet.testkit.Loopback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class TunnelEndToEndTest {

    @TempDir
    Path dir;

    @Test
    void bytesThroughALocalForwardArriveIdentical() throws Exception {
        Fixture fixture = new Fixture(dir);
        try (Loopback.EchoServer echo = new Loopback.EchoServer();
             AlknetServer server = Alknet.server(fixture.server().build());
             AlknetClient client = Alknet.client(fixture.client(server)
                     .frontEnd(FrontEndSpec.localForward("0:127.0.0.1:" + echo.port())).build())) {
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
                     .frontEnd(FrontEndSpec.localForward("0:127.0.0.1:" + echo.port())).build())) {
            InetSocketAddress local = (InetSocketAddress) client.frontEndAddresses().getFirst().getFirst();
            byte[] payload = Loopback.randomBytes(12 * 1024 * 1024, 43);
            assertThat(Loopback.roundTrip(local.getPort(), payload)).isEqualTo(payload);
        }
    }

    @Test
    void sessionsLeaveNoLoggerOfTheirOwnBehind() throws Exception {
        Fixture fixture = new Fixture(dir);
        ch.qos.logback.classic.LoggerContext logging = (ch.qos.logback.classic.LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
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
        java.util.List<String> before = serverThreads(); // servers other tests in this JVM still run
        for (int i = 0; i < 3; i++) {
            try (AlknetServer server = Alknet.server(fixture.server().build());
                 AlknetClient client = Alknet.client(fixture.client(server).build())) {
                assertThat(client.connected()).isTrue();
                assertThat(serverThreads()).as("the running server's SSH timer").hasSizeGreaterThan(before.size());
            }
        }
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (!before.containsAll(serverThreads()) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(serverThreads()).as("SSH server threads after the servers stopped").isSubsetOf(before);
    }

    @Test
    void aChannelStillOpeningFailsWhenTheSessionEnds() throws Exception {
        Fixture fixture = new Fixture(dir);
        // A target whose accept queue is full: the kernel drops further SYNs, so dialling it hangs and the
        // server never answers the channel open.
        try (java.net.ServerSocket full = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            java.util.List<java.net.Socket> queued = new java.util.ArrayList<>();
            try {
                boolean hangs = false;
                for (int i = 0; i < 64 && !hangs; i++) {
                    java.net.Socket socket = new java.net.Socket();
                    queued.add(socket);
                    try {
                        socket.connect(new InetSocketAddress(full.getInetAddress(), full.getLocalPort()), 300);
                    } catch (java.net.SocketTimeoutException timedOut) {
                        hangs = true;
                    }
                }
                assertThat(hangs).as("a dial to a listener with a full accept queue hangs (Linux drops the SYN)").isTrue();
                AlknetServer server = Alknet.server(fixture.server().build());
                try (AlknetClient client = Alknet.client(fixture.client(server).build())) {
                    java.util.concurrent.CompletableFuture<io.alknet.api.stream.TransportStream> opening =
                            client.tunnel().openChannel("127.0.0.1", full.getLocalPort()).toCompletableFuture();
                    Thread.sleep(300);
                    assertThat(opening).as("the server is still dialling").isNotDone();
                    server.close();
                    assertThat(opening).failsWithin(java.time.Duration.ofSeconds(10))
                            .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                            .havingCause().isInstanceOfSatisfying(io.alknet.api.AlknetException.class,
                                    e -> assertThat(e.code()).isEqualTo(io.alknet.api.ErrorCode.SESSION_CLOSED));
                } finally {
                    server.close();
                }
            } finally {
                for (java.net.Socket socket : queued) {
                    socket.close();
                }
            }
        }
    }

    private static java.util.List<String> serverThreads() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).filter(name -> name.contains("StreamSshServer")).toList();
    }
}
