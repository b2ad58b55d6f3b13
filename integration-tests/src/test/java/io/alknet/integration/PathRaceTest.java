package io.alknet.integration;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.api.interfaces.HostKeyVerification;
import io.alknet.api.transport.TransportAddress;
import io.alknet.defaults.BuiltIns;
import io.alknet.interfaces.ssh.OpenSshKeys;
import io.alknet.kernel.Alknet;
import io.alknet.kernel.AlknetClient;
import io.alknet.kernel.AlknetServer;
import io.alknet.kernel.ClientEvent;
import io.alknet.kernel.ClientOptions;
import io.alknet.kernel.ReconnectPolicy;
import io.alknet.testkit.Loopback;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 26, transport racing: one server, several ways in ({@code alknet connect ADDRESS --via ...}), raced
 * Happy-Eyeballs style; the first SSH session whose host key verifies wins and the others are closed.
 */
class PathRaceTest {

    @TempDir
    Path dir;
    Fixture fixture;

    @BeforeEach
    void keys() throws Exception {
        fixture = new Fixture(dir);
        LogCapture.clear();
    }

    private AlknetServer tlsServer() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                "-nodes", "-keyout", key.toString(), "-out", cert.toString(), "-days", "2", "-subj", "/CN=localhost")
                .redirectErrorStream(true).start();
        String output = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(openssl.waitFor(60, TimeUnit.SECONDS) && openssl.exitValue() == 0).as(output).isTrue();
        return Alknet.server(BuiltIns.server()
                .listen(BuiltIns.ssh("tls://127.0.0.1:0"))
                .setting(BuiltIns.HOST_KEY, fixture.hostKey)
                .setting(BuiltIns.AUTHORIZED_KEYS, fixture.authorizedKeys)
                .setting("transport.tls.cert", cert.toString()).setting("transport.tls.key", key.toString())
                .stateDirectory(dir.resolve("state"))
                .build());
    }

    private ClientOptions.Builder client(TransportAddress first, List<ClientEvent> events) {
        return BuiltIns.client(first)
                .identity(fixture.clientKey)
                .user("alice")
                .stateDirectory(dir.resolve("client-state"))
                .reconnect(ReconnectPolicy.NEVER)
                .events(events::add)
                .hostKeys(new HostKeyVerification.Pinned(List.of(OpenSshKeys.fingerprint(fixture.host.getPublic()))));
    }

    private static String connectedTo(List<ClientEvent> events) {
        return events.stream().filter(ClientEvent.Connected.class::isInstance).map(e -> ((ClientEvent.Connected) e).server())
                .findFirst().orElseThrow();
    }

    private static void roundTrip(AlknetClient client, Loopback.EchoServer echo) throws Exception {
        var stream = client.tunnel().openChannel("127.0.0.1", echo.port()).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(stream.isOpen()).isTrue();
        stream.close();
    }

    /**
     * The preferred TCP path accepts and never answers (a middlebox that black-holes port 22): the TLS path, started
     * 250 ms later, carries the session, and the TCP attempt still hanging in its SSH handshake is cut.
     */
    @Test
    void aTcpPortThatAcceptsAndNeverAnswersLosesToTls() throws Exception {
        List<ClientEvent> events = new CopyOnWriteArrayList<>();
        try (ServerSocket blackhole = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             Loopback.EchoServer echo = new Loopback.EchoServer();
             AlknetServer server = tlsServer()) {
            TransportAddress tls = server.listenAddresses().getFirst();
            try (AlknetClient client = Alknet.client(client(TransportAddress.of("tcp", "127.0.0.1", blackhole.getLocalPort()), events)
                    .via(tls)
                    .setting("transport.tls.fingerprint", server.info().get("tls.certificate-fingerprint"))
                    .build())) {
                assertThat(connectedTo(events)).startsWith("tls://127.0.0.1:" + tls.port());
                assertThat(LogCapture.matching("client.path.won")).singleElement().asString().contains("transport=tls");
                roundTrip(client, echo);
                // the loser is closed by the client, not left to SSH's timeout
                try (Socket loser = blackhole.accept()) {
                    loser.setSoTimeout(10_000);
                    InputStream in = loser.getInputStream();
                    java.io.ByteArrayOutputStream seen = new java.io.ByteArrayOutputStream();
                    try {
                        in.transferTo(seen); // the client's identification line, then its end
                    } catch (java.net.SocketException reset) {
                        assertThat(reset.getMessage()).contains("reset"); // an abort: cut, not closed politely
                    }
                    assertThat(seen.toString(StandardCharsets.US_ASCII)).startsWith("SSH-2.0-");
                }
            }
        }
    }

    /**
     * What won is remembered across restarts, per network, in the client's state directory: a second client (a
     * restart) with the same paths starts with TLS, which won the first race, instead of waiting 250 ms on the black-holed
     * TCP port first; the status reports how the session runs.
     */
    @Test
    void aRestartStartsWithWhatWonLastOnThisNetwork() throws Exception {
        try (ServerSocket blackhole = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             AlknetServer server = tlsServer()) {
            TransportAddress tcp = TransportAddress.of("tcp", "127.0.0.1", blackhole.getLocalPort());
            TransportAddress tls = server.listenAddresses().getFirst();
            String certificate = server.info().get("tls.certificate-fingerprint");
            List<ClientEvent> first = new CopyOnWriteArrayList<>();
            try (AlknetClient client = Alknet.client(client(tcp, first).via(tls).setting("transport.tls.fingerprint", certificate).build())) {
                assertThat(connectedTo(first)).startsWith("tls://");
                assertThat(client.stats().route()).isEqualTo("tls");
            }
            assertThat(Files.readString(dir.resolve("client-state").resolve("paths"))).contains(tls.toString());
            LogCapture.clear();
            List<ClientEvent> second = new CopyOnWriteArrayList<>();
            try (AlknetClient client = Alknet.client(client(tcp, second).via(tls).setting("transport.tls.fingerprint", certificate).build())) {
                assertThat(connectedTo(second)).startsWith("tls://");
                assertThat(second).filteredOn(ClientEvent.Connected.class::isInstance).first()
                        .extracting(e -> ((ClientEvent.Connected) e).route()).isEqualTo("tls");
            }
            List<String> tries = LogCapture.matching("client.path.try");
            assertThat(tries).isNotEmpty();
            assertThat(tries.getFirst()).contains("transport=tls");
        }
    }

    /**
     * The preferred path is iroh to an endpoint that never answers (its UDP port swallows every packet): the client
     * does not wait for iroh's timeout but wins over TCP, started 250 ms later, while the iroh dial is still pending.
     */
    @Test
    void anIrohPathThatNeverAnswersIsNotWaitedFor() throws Exception {
        List<ClientEvent> events = new CopyOnWriteArrayList<>();
        // a valid endpoint id (an Ed25519 public key) that nothing answers for
        byte[] encoded = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic().getEncoded();
        byte[] id = java.util.Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
        try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             Loopback.EchoServer echo = new Loopback.EchoServer();
             AlknetServer server = Alknet.server(fixture.server().build())) {
            TransportAddress iroh = TransportAddress.parse("iroh://" + HexFormat.of().formatHex(id) + "?addr=127.0.0.1:" + silent.getLocalPort(), 0);
            try (AlknetClient client = Alknet.client(client(iroh, events)
                    .via(server.listenAddresses().getFirst())
                    .setting("transport.iroh.relay", "none")
                    .build())) {
                assertThat(connectedTo(events)).startsWith("tcp://");
                assertThat(LogCapture.matching("client.path.won")).singleElement().asString().contains("transport=tcp");
                if (LogCapture.matching("client.path.unavailable transport=iroh").isEmpty()) {
                    // iroh is built here: its dial was still pending when TCP won (without it, the path fails at once)
                    assertThat(LogCapture.matching("client.path.failed transport=iroh"))
                            .as("the iroh dial was still pending when TCP won").isEmpty();
                }
                roundTrip(client, echo);
            }
        }
    }

    /**
     * A path that answers with another host key (another server, or a man in the middle on one path) is refused,
     * not chosen, even when it is the preferred one and answers first; with no honest path the client says why.
     */
    @Test
    void aPathWithAnotherHostKeyIsRefusedNotChosen() throws Exception {
        Fixture impostor = new Fixture(dir.resolve("impostor"));
        List<ClientEvent> events = new CopyOnWriteArrayList<>();
        try (Loopback.EchoServer echo = new Loopback.EchoServer();
             AlknetServer other = Alknet.server(impostor.server().listen(BuiltIns.ssh("tcp://127.0.0.1:0")).build());
             AlknetServer server = Alknet.server(fixture.server().build())) {
            TransportAddress wrong = other.listenAddresses().getFirst();
            try (AlknetClient client = Alknet.client(client(wrong, events).via(server.listenAddresses().getFirst()).build())) {
                assertThat(connectedTo(events)).isEqualTo(server.listenAddresses().getFirst().toString());
                assertThat(LogCapture.matching("client.path.failed transport=tcp")).singleElement().asString()
                        .contains("HOST KEY MISMATCH");
                roundTrip(client, echo);
            }
            TransportAddress alsoWrong = other.listenAddresses().get(1);
            assertThatThrownBy(() -> Alknet.client(client(wrong, events).via(alsoWrong).build()).close())
                    .isInstanceOfSatisfying(AlknetException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.HOST_KEY_REJECTED))
                    .hasMessageContaining("HOST KEY MISMATCH");
        }
    }
}
