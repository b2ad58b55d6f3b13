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

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** The SOCKS5 front end, driven by real curl and by raw sockets. */
class Socks5Test {

    @TempDir
    Path dir;

    private Fixture fixture;

    @BeforeEach
    void keys() throws Exception {
        fixture = new Fixture(dir);
    }

    private AlknetClient clientWithSocks(AlknetServer server) {
        return Alknet.client(fixture.client(server).frontEnd(BuiltIns.socks5("127.0.0.1:0")).build());
    }

    private static int socksPort(AlknetClient client) {
        return ((InetSocketAddress) client.frontEndAddresses().getFirst().getFirst()).getPort();
    }

    @Test
    void curlFetchesByNameByIpv4AndAnIpv6OriginIdentically() throws Exception {
        byte[] body = Loopback.randomBytes(200 * 1024, 21);
        try (TestWeb web = new TestWeb(body);
             TestWeb web6 = new TestWeb(body, InetAddress.getByName("::1"));
             AlknetServer server = Alknet.server(fixture.server().build());
             AlknetClient client = clientWithSocks(server)) {
            String proxy = "127.0.0.1:" + socksPort(client);
            assertThat(curl("--socks5-hostname", proxy, "http://localhost:" + web.port() + "/")).isEqualTo(body);
            assertThat(curl("--socks5", proxy, "http://127.0.0.1:" + web.port() + "/")).isEqualTo(body);
            assertThat(curl("--socks5", proxy, "http://[::1]:" + web6.port() + "/")).isEqualTo(body);
            assertThat(curl("--socks5-hostname", proxy, "http://[::1]:" + web6.port() + "/")).isEqualTo(body);
        }
    }

    private byte[] curl(String flag, String proxy, String url) throws Exception {
        Path out = Files.createTempFile(dir, "curl", ".bin");
        Process curl = new ProcessBuilder("curl", "-sS", "--fail", "--max-time", "30", flag, proxy, "-o", out.toString(), url)
                .redirectErrorStream(true).start();
        String output = new String(curl.getInputStream().readAllBytes());
        assertThat(curl.waitFor()).as("curl " + flag + " " + url + ": " + output).isZero();
        return Files.readAllBytes(out);
    }

    @Test
    void malformedRequestsGetTheRightReplyOrACleanCloseAndTheListenerKeepsServing() throws Exception {
        try (Loopback.EchoServer echo = new Loopback.EchoServer();
             AlknetServer server = Alknet.server(fixture.server().build());
             AlknetClient client = clientWithSocks(server)) {
            int port = socksPort(client);
            // wrong version in the greeting: closed without a reply
            assertThat(exchange(port, bytes(6, 1, 0))).isEmpty();
            // SOCKS4: refused with SOCKS4's "rejected" reply
            assertThat(exchange(port, bytes(4, 1, 0, 80, 127, 0, 0, 1, 0))).startsWith((byte) 0, (byte) 0x5b);
            // zero methods: no acceptable method
            assertThat(exchange(port, bytes(5, 0))).containsExactly(5, 0xff);
            // only username/password offered while no auth is configured
            assertThat(exchange(port, bytes(5, 1, 2))).containsExactly(5, 0xff);
            // truncated request, then end of input: clean close after the method reply
            assertThat(exchange(port, bytes(5, 1, 0, 5, 1, 0, 3, 10, 'a', 'b'))).containsExactly(5, 0);
            // unknown address type
            assertThat(reply(exchange(port, bytes(5, 1, 0, 5, 1, 0, 9, 1, 2, 3, 4, 0, 80)))).isEqualTo(8);
            // BIND
            assertThat(reply(exchange(port, bytes(5, 1, 0, 5, 2, 0, 1, 127, 0, 0, 1, 0, 80)))).isEqualTo(7);
            // domain of length 0: no such host
            assertThat(reply(exchange(port, bytes(5, 1, 0, 5, 1, 0, 3, 0, 0, 80)))).isEqualTo(4);
            // a well-formed domain of the maximum length 255 that does not resolve: host unreachable
            String label = "a".repeat(63);
            String longName = String.join(".", label, label, label, label);
            assertThat(longName).hasSize(255);
            assertThat(reply(exchange(port, connectByName(longName, 80)))).isEqualTo(4);
            // 255 bytes that are not a domain name (a 255-character label): malformed, general failure
            assertThat(reply(exchange(port, connectByName("a".repeat(255), 80)))).isEqualTo(1);
            // wrong version in the request: the method selection, then closed without a reply (which would have to
            // speak a version the client did not)
            assertThat(exchange(port, bytes(5, 1, 0, 4, 1, 0, 1, 127, 0, 0, 1, 0, 80))).containsExactly(5, 0);
            // a connection refused at the target
            int closed = Loopback.unusedPort();
            assertThat(reply(exchange(port, bytes(5, 1, 0, 5, 1, 0, 1, 127, 0, 0, 1, closed >> 8, closed & 0xff)))).isEqualTo(5);

            // and a good client is still served
            try (Socket socket = Socks5Client.connect(port, "127.0.0.1", echo.port())) {
                socket.getOutputStream().write("still here".getBytes());
                socket.shutdownOutput();
                assertThat(new String(socket.getInputStream().readAllBytes())).isEqualTo("still here");
            }
        }
    }

    @Test
    void aClientThatWaitsForEachAnswerIsServedAndAWrongPasswordIsRefused() throws Exception {
        try (Loopback.EchoServer echo = new Loopback.EchoServer();
             AlknetServer server = Alknet.server(fixture.server().build());
             AlknetClient client = Alknet.client(fixture.client(server).setting("frontend.socks5.username", "ada")
                     .setting("frontend.socks5.password", "s3cret").frontEnd(BuiltIns.socks5("127.0.0.1:0")).build())) {
            int port = socksPort(client);
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                socket.setSoTimeout(10_000);
                OutputStream out = socket.getOutputStream();
                DataInputStream in = new DataInputStream(socket.getInputStream());
                out.write(bytes(5, 1, 2)); // the greeting alone: its answer must come without a request behind it
                assertThat(new byte[] {in.readByte(), in.readByte()}).containsExactly(5, 2);
                out.write(passwordAuth("ada", "s3cret"));
                assertThat(new byte[] {in.readByte(), in.readByte()}).containsExactly(1, 0);
                out.write(bytes(5, 1, 0, 1, 127, 0, 0, 1, echo.port() >> 8, echo.port() & 0xff));
                assertThat(Socks5Client.readReply(in)).isZero();
                out.write("hi".getBytes());
                socket.shutdownOutput();
                assertThat(new String(in.readAllBytes())).isEqualTo("hi");
            }
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                socket.setSoTimeout(10_000);
                OutputStream out = socket.getOutputStream();
                DataInputStream in = new DataInputStream(socket.getInputStream());
                out.write(bytes(5, 1, 2));
                assertThat(new byte[] {in.readByte(), in.readByte()}).containsExactly(5, 2);
                out.write(passwordAuth("ada", "wrong"));
                assertThat(in.readByte()).isEqualTo((byte) 1);
                assertThat(in.readByte()).as("RFC 1929 failure status").isNotZero();
                assertThat(in.read()).as("closed after the refusal").isEqualTo(-1);
            }
            // without authentication on offer: no acceptable method
            assertThat(exchange(port, bytes(5, 1, 0))).containsExactly(5, 0xff);
        }
    }

    private static byte[] passwordAuth(String user, String password) {
        byte[] name = user.getBytes(StandardCharsets.UTF_8);
        byte[] secret = password.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(3 + name.length + secret.length).put((byte) 1).put((byte) name.length).put(name)
                .put((byte) secret.length).put(secret).array();
    }

    @Test
    void aPolicyDenialIsConnectionNotAllowedByRuleset() throws Exception {
        Path policy = dir.resolve("policy.rules");
        Files.writeString(policy, "default deny\n");
        try (AlknetServer server = Alknet.server(fixture.server().setting(BuiltIns.POLICY_FILE, policy).build());
             AlknetClient client = clientWithSocks(server);
             Socket socket = new Socket(InetAddress.getLoopbackAddress(), socksPort(client))) {
            socket.setSoTimeout(10_000);
            assertThat(Socks5Client.handshake(socket, "127.0.0.1", 80)).isEqualTo(2);
        }
    }

    @Test
    void dataPipelinedBehindTheRequestIsNotLost() throws Exception {
        try (Loopback.EchoServer echo = new Loopback.EchoServer();
             AlknetServer server = Alknet.server(fixture.server().build());
             AlknetClient client = clientWithSocks(server);
             Socket socket = new Socket(InetAddress.getLoopbackAddress(), socksPort(client))) {
            socket.setSoTimeout(10_000);
            byte[] name = "127.0.0.1".getBytes(StandardCharsets.US_ASCII);
            byte[] all = ByteBuffer.allocate(3 + 5 + name.length + 2 + 5).put(bytes(5, 1, 0)).put(bytes(5, 1, 0, 3, name.length))
                    .put(name).putShort((short) echo.port()).put("hello".getBytes()).array();
            OutputStream out = socket.getOutputStream();
            // one byte at a time: every message is split across reads, and the payload rides right behind
            for (byte b : all) {
                out.write(b);
                out.flush();
            }
            socket.shutdownOutput();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            assertThat(in.readUnsignedByte()).isEqualTo(5);
            assertThat(in.readUnsignedByte()).isEqualTo(0);
            assertThat(Socks5Client.readReply(in)).isZero();
            assertThat(new String(in.readAllBytes())).isEqualTo("hello");
        }
    }

    @Test
    void moreDataPipelinedThanTheProxyKeepsWaitsInTheSocketAndArrivesInOrder() throws Exception {
        try (Loopback.EchoServer echo = new Loopback.EchoServer();
             AlknetServer server = Alknet.server(fixture.server().build());
             AlknetClient client = clientWithSocks(server);
             Socket socket = new Socket(InetAddress.getLoopbackAddress(), socksPort(client))) {
            socket.setSoTimeout(10_000);
            byte[] payload = io.alknet.testkit.Loopback.randomBytes(300 * 1024, 7); // beyond the 64 KiB kept before the reply
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            request.writeBytes(bytes(5, 1, 0, 5, 1, 0, 1, 127, 0, 0, 1));
            request.writeBytes(new byte[] {(byte) (echo.port() >> 8), (byte) echo.port()});
            request.writeBytes(payload);
            java.util.concurrent.CompletableFuture<byte[]> echoed = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    DataInputStream in = new DataInputStream(socket.getInputStream());
                    assertThat(in.readUnsignedByte()).isEqualTo(5);
                    assertThat(in.readUnsignedByte()).isEqualTo(0);
                    assertThat(Socks5Client.readReply(in)).isZero();
                    return in.readAllBytes();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            socket.getOutputStream().write(request.toByteArray());
            socket.shutdownOutput();
            assertThat(echoed.get(30, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(payload);
        }
    }

    @Test
    void twoHundredConcurrentStreamsOfOneMebibyteEachArriveIntact() throws Exception {
        try (Loopback.EchoServer echo = new Loopback.EchoServer();
             AlknetServer server = Alknet.server(fixture.server().build());
             AlknetClient client = clientWithSocks(server);
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            int port = socksPort(client);
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                long seed = i;
                results.add(threads.submit((Callable<Boolean>) () -> {
                    byte[] payload = Loopback.randomBytes(1024 * 1024, seed);
                    try (Socket socket = Socks5Client.connect(port, "127.0.0.1", echo.port())) {
                        socket.setSoTimeout(120_000);
                        Thread writer = Thread.ofVirtual().start(() -> {
                            try {
                                socket.getOutputStream().write(payload);
                                socket.shutdownOutput();
                            } catch (IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        });
                        byte[] echoed = socket.getInputStream().readAllBytes();
                        writer.join();
                        return java.util.Arrays.equals(payload, echoed);
                    }
                }));
            }
            int intact = 0;
            for (Future<Boolean> result : results) {
                if (result.get()) {
                    intact++;
                }
            }
            assertThat(intact).isEqualTo(200);
            assertThat(client.stats().totalStreams()).isEqualTo(200);
        }
    }

    @Test
    void udpAssociateRelaysDnsSizedAndLargeDatagramsIntact() throws Exception {
        try (Loopback.UdpEchoServer udpEcho = new Loopback.UdpEchoServer();
             AlknetServer server = Alknet.server(fixture.server().build());
             AlknetClient client = clientWithSocks(server);
             Socket control = new Socket(InetAddress.getLoopbackAddress(), socksPort(client));
             java.net.DatagramSocket app = new java.net.DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            control.setSoTimeout(10_000);
            InetSocketAddress relay = Socks5Client.udpAssociate(control);
            app.setSoTimeout(10_000);
            InetAddress loopback = InetAddress.getLoopbackAddress();

            // malformed datagrams are dropped: a fragment, non-zero reserved bytes, an unknown address type
            app.send(packet(Socks5Client.udpDatagram(loopback, udpEcho.port(), "fragment".getBytes(), 1), relay));
            byte[] badReserved = Socks5Client.udpDatagram(loopback, udpEcho.port(), "reserved".getBytes(), 0);
            badReserved[0] = 1;
            app.send(packet(badReserved, relay));
            byte[] badType = Socks5Client.udpDatagram(loopback, udpEcho.port(), "type".getBytes(), 0);
            badType[3] = 9;
            app.send(packet(badType, relay));

            int[] sizes = {40, 64, 100, 512, 1400, 1400, 1400, 33};
            for (int i = 0; i < sizes.length; i++) {
                byte[] payload = Loopback.randomBytes(sizes[i], i);
                app.send(packet(Socks5Client.udpDatagram(loopback, udpEcho.port(), payload, 0), relay));
                java.net.DatagramPacket reply = new java.net.DatagramPacket(new byte[65_535], 65_535);
                app.receive(reply);
                ByteBuffer answer = ByteBuffer.wrap(reply.getData(), 0, reply.getLength());
                assertThat(answer.getShort()).as("RSV").isZero();
                assertThat(answer.get()).as("FRAG").isZero();
                assertThat(answer.get()).as("ATYP").isEqualTo((byte) 1);
                byte[] source = new byte[4];
                answer.get(source);
                assertThat(InetAddress.getByAddress(source)).isEqualTo(loopback);
                assertThat(answer.getShort() & 0xffff).isEqualTo(udpEcho.port());
                byte[] echoed = new byte[answer.remaining()];
                answer.get(echoed);
                assertThat(echoed).as("datagram %d of %d bytes", i, sizes[i]).isEqualTo(payload);
            }
        }
    }

    private static java.net.DatagramPacket packet(byte[] bytes, InetSocketAddress to) {
        return new java.net.DatagramPacket(bytes, bytes.length, to);
    }

    /** Sends {@code request}, half-closes, returns every byte the proxy sent until it closed. */
    private static byte[] exchange(int port, byte[] request) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(15_000);
            socket.getOutputStream().write(request);
            socket.shutdownOutput();
            InputStream in = socket.getInputStream();
            return in.readAllBytes();
        }
    }

    private static byte[] connectByName(String name, int port) {
        byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(3 + 5 + bytes.length + 2).put(bytes(5, 1, 0)).put(bytes(5, 1, 0, 3, bytes.length))
                .put(bytes).putShort((short) port).array();
    }

    /** The reply code of a method selection (2 bytes) followed by a reply. */
    private static int reply(byte[] answer) {
        assertThat(answer.length).as("a method selection and a reply").isGreaterThanOrEqualTo(4);
        assertThat(answer[0]).isEqualTo((byte) 5);
        assertThat(answer[1]).isEqualTo((byte) 0);
        return answer[3] & 0xff;
    }

    private static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }
}
