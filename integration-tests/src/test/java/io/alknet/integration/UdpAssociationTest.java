package io.alknet.integration;

import io.alknet.defaults.BuiltIns;
import io.alknet.kernel.Alknet;
import io.alknet.kernel.AlknetClient;
import io.alknet.kernel.AlknetServer;
import io.alknet.kernel.FrontEndSpec;
import io.alknet.testkit.Loopback;
import io.alknet.testkit.Socks5Client;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SOCKS5 UDP ASSOCIATE through the tunnel (issue 19, finding 4): every datagram UDP can carry arrives whole
 * (Netty's 2,048-byte default receive buffer cut anything over 2,038 payload bytes), one that cannot be carried
 * is dropped and counted, never cut, and the association ends with its SOCKS TCP connection.
 */
class UdpAssociationTest {

    @TempDir
    Path dir;

    private Fixture fixture;

    @BeforeEach
    void keys() throws Exception {
        fixture = new Fixture(dir);
        LogCapture.clear();
    }

    private AlknetClient client(AlknetServer server, String socks) {
        return Alknet.client(fixture.client(server).frontEnd(BuiltIns.socks5(socks)).build());
    }

    private static int socksPort(AlknetClient client) {
        return ((InetSocketAddress) client.frontEndAddresses().getFirst().getFirst()).getPort();
    }

    /** Sends {@code payload} through the association to the echo server and returns the payload of the answer. */
    private static byte[] echo(DatagramSocket app, InetSocketAddress relay, int echoPort, byte[] payload) throws Exception {
        byte[] request = Socks5Client.udpDatagram(InetAddress.getLoopbackAddress(), echoPort, payload, 0);
        app.send(new DatagramPacket(request, request.length, relay));
        DatagramPacket reply = new DatagramPacket(new byte[65_536], 65_536);
        app.receive(reply);
        ByteBuffer answer = ByteBuffer.wrap(reply.getData(), 0, reply.getLength());
        answer.position(3 + 1 + 4 + 2); // RSV FRAG ATYP=1 IPv4 PORT
        byte[] echoed = new byte[answer.remaining()];
        answer.get(echoed);
        return echoed;
    }

    @Test
    void datagramsUpToTheLargestAnIpv4SocketTakesArriveWhole() throws Exception {
        try (Loopback.UdpEchoServer echo = new Loopback.UdpEchoServer();
             AlknetServer server = Alknet.server(fixture.server().build());
             AlknetClient client = client(server, "127.0.0.1:0");
             Socket control = new Socket(InetAddress.getLoopbackAddress(), socksPort(client));
             DatagramSocket app = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            control.setSoTimeout(10_000);
            app.setSoTimeout(10_000);
            InetSocketAddress relay = Socks5Client.udpAssociate(control);
            // 65,497 = 65,507 (the largest IPv4 UDP payload) less the 10-byte SOCKS5 header of an IPv4 destination
            for (int size : List.of(2_038, 2_039, 9_000, 32_768, 65_497)) {
                byte[] payload = Loopback.randomBytes(size, size);
                assertThat(echo(app, relay, echo.port(), payload)).as("a datagram of %d bytes", size).isEqualTo(payload);
            }
        }
    }

    @Test
    void theLargestPayloadCrossesOverIpv6AndALargerOneIsACountedDropNotACut() throws Exception {
        try (Loopback.UdpEchoServer echo = new Loopback.UdpEchoServer();
             AlknetServer server = Alknet.server(fixture.server().build());
             AlknetClient client = client(server, "[::1]:0")) {
            InetAddress ipv6 = InetAddress.getByName("::1");
            try (Socket control = new Socket(ipv6, socksPort(client));
                 DatagramSocket app = new DatagramSocket(0, ipv6)) {
                control.setSoTimeout(10_000);
                app.setSoTimeout(10_000);
                InetSocketAddress relay = Socks5Client.udpAssociate(control);
                // an IPv6 socket takes a 65,507-byte payload with its header: the tunnel carries it to IPv4 and back
                byte[] largest = Loopback.randomBytes(65_507, 1);
                assertThat(echo(app, relay, echo.port(), largest)).isEqualTo(largest);
                // one byte more cannot reach an IPv4 destination: dropped whole, and counted
                byte[] tooLarge = Socks5Client.udpDatagram(InetAddress.getLoopbackAddress(), echo.port(), new byte[65_508], 0);
                app.send(new DatagramPacket(tooLarge, tooLarge.length, relay));
                byte[] small = Loopback.randomBytes(100, 2);
                assertThat(echo(app, relay, echo.port(), small)).as("the next datagram, not a cut one").isEqualTo(small);
            }
            awaitLog("socks.udp.closed");
            assertThat(LogCapture.matching("socks.udp.closed")).singleElement().asString()
                    .contains("datagrams_sent=2").contains("datagrams_received=2").contains("dropped=1");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"half-close", "close"})
    void theAssociationEndsWithItsTcpConnection(String end) throws Exception {
        try (Loopback.UdpEchoServer echo = new Loopback.UdpEchoServer();
             AlknetServer server = Alknet.server(fixture.server().build());
             AlknetClient client = client(server, "127.0.0.1:0");
             Socket control = new Socket(InetAddress.getLoopbackAddress(), socksPort(client));
             DatagramSocket app = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            control.setSoTimeout(10_000);
            app.setSoTimeout(10_000);
            InetSocketAddress relay = Socks5Client.udpAssociate(control);
            byte[] payload = Loopback.randomBytes(64, 3);
            assertThat(echo(app, relay, echo.port(), payload)).isEqualTo(payload);
            assertThat(client.stats().openStreams()).as("the relay channel").isEqualTo(1);
            if (end.equals("half-close")) {
                control.shutdownOutput();
                assertThat(control.getInputStream().read()).as("the proxy closes the connection too").isEqualTo(-1);
            } else {
                control.close();
            }
            assertThat(relayPortFreed(relay.getPort(), 10)).as("the association's UDP port is released").isTrue();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (client.stats().openStreams() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(client.stats().openStreams()).as("the relay channel through the tunnel").isZero();
        }
    }

    private static boolean relayPortFreed(int port, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            try (DatagramSocket probe = new DatagramSocket(port, InetAddress.getLoopbackAddress())) {
                return true;
            } catch (SocketException inUse) {
                Thread.sleep(20);
            }
        }
        return false;
    }

    private static void awaitLog(String event) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (LogCapture.matching(event).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }
}
