package io.alknet.integration;

import io.alknet.defaults.BuiltIns;
import io.alknet.kernel.Alknet;
import io.alknet.kernel.AlknetClient;
import io.alknet.kernel.AlknetServer;
import io.alknet.kernel.ClientEvent;
import io.alknet.kernel.FrontEndSpec;
import io.alknet.kernel.ReconnectPolicy;
import io.alknet.kernel.ServerOptions;
import io.alknet.testkit.Loopback;
import io.alknet.testkit.Socks5Client;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The client outlives a server restart: it reconnects, re-establishes every forward, and keeps its ports. */
class ReconnectTest {

    @TempDir
    Path dir;

    @Test
    void clientReconnectsAfterAServerRestartWithItsListenersIntact() throws Exception {
        Fixture fixture = new Fixture(dir);
        int serverPort = Loopback.unusedPort();
        int remotePort = Loopback.unusedPort();
        List<ClientEvent> events = new CopyOnWriteArrayList<>();
        try (Loopback.EchoServer echo = new Loopback.EchoServer()) {
            AlknetServer first = startServer(fixture, serverPort);
            try (AlknetClient client = Alknet.client(fixture.client(first)
                    .frontEnd(BuiltIns.localForward("0:127.0.0.1:" + echo.port()))
                    .frontEnd(BuiltIns.socks5("127.0.0.1:0"))
                    .frontEnd(BuiltIns.remoteForward(remotePort + ":127.0.0.1:" + echo.port()))
                    .reconnect(new ReconnectPolicy(true, Duration.ofMillis(100), Duration.ofMillis(400), 0.2))
                    .events(events::add)
                    .build())) {
                int localPort = port(client, 0);
                int socksPort = port(client, 1);
                assertWorks(localPort, socksPort, remotePort, echo.port());

                first.close();
                await(() -> !client.connected(), "the client notices the loss");

                // Meanwhile the local listeners stay open; SOCKS requests fail fast with "general failure".
                try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), socksPort)) {
                    socket.setSoTimeout(5_000);
                    assertThat(Socks5Client.handshake(socket, "127.0.0.1", echo.port())).isEqualTo(1);
                }
                try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), localPort)) {
                    socket.setSoTimeout(5_000);
                    // a reset, not an end of data: the application must not take "no tunnel" for an empty answer
                    assertThatThrownBy(() -> socket.getInputStream().read()).as("-L resets new connections while down")
                            .isInstanceOf(java.net.SocketException.class).hasMessageContaining("reset");
                }

                try (AlknetServer second = startServer(fixture, serverPort)) {
                    await(client::connected, "the client reconnects");
                    await(() -> portOpen(remotePort), "the remote forward is re-established");
                    assertThat(port(client, 0)).isEqualTo(localPort);
                    assertThat(port(client, 1)).isEqualTo(socksPort);
                    assertWorks(localPort, socksPort, remotePort, echo.port());
                }
            }
        }
        assertThat(events).hasAtLeastOneElementOfType(ClientEvent.Disconnected.class)
                .hasAtLeastOneElementOfType(ClientEvent.Reconnecting.class);
        assertThat(events.stream().filter(ClientEvent.Connected.class::isInstance).count()).isEqualTo(2);
    }

    private static AlknetServer startServer(Fixture fixture, int port) {
        return Alknet.server(BuiltIns.server()
                .listen(BuiltIns.ssh("tcp://127.0.0.1:" + port))
                .setting(BuiltIns.HOST_KEY, fixture.hostKey)
                .setting(BuiltIns.AUTHORIZED_KEYS, fixture.authorizedKeys)
                .stateDirectory(fixture.dir.resolve("state"))
                .build());
    }

    private static void assertWorks(int localPort, int socksPort, int remotePort, int echoPort) throws Exception {
        byte[] payload = Loopback.randomBytes(300_000, localPort);
        assertThat(Loopback.roundTrip(localPort, payload)).as("-L").isEqualTo(payload);
        assertThat(Loopback.roundTrip(remotePort, payload)).as("-R").isEqualTo(payload);
        try (Socket socket = Socks5Client.connect(socksPort, "127.0.0.1", echoPort)) {
            socket.getOutputStream().write(payload);
            socket.shutdownOutput();
            assertThat(socket.getInputStream().readAllBytes()).as("SOCKS5").isEqualTo(payload);
        }
    }

    private static int port(AlknetClient client, int frontEnd) {
        return ((InetSocketAddress) client.frontEndAddresses().get(frontEnd).getFirst()).getPort();
    }

    private static boolean portOpen(int port) {
        try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(50);
        }
    }
}
