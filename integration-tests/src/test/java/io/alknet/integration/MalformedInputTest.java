package io.alknet.integration;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.defaults.BuiltIns;
import io.alknet.kernel.Alknet;
import io.alknet.kernel.AlknetClient;
import io.alknet.kernel.AlknetServer;
import io.alknet.testkit.Loopback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bad input gets a clear refusal and costs nothing else. */
class MalformedInputTest {

    @TempDir
    Path dir;

    /**
     * Each kind of garbage before login is refused on its own connection with a reason: a line for the client
     * where SSH has one (an unsupported version), one audit line with a stable reason code for the operator,
     * the connection closed; and the server goes on serving.
     */
    @Test
    void garbageBannersCloseThatConnectionWithAReasonAndTheServerKeepsServing() throws Exception {
        Fixture fixture = new Fixture(dir);
        LogCapture.clear();
        try (Loopback.EchoServer echo = new Loopback.EchoServer();
             AlknetServer server = Alknet.server(fixture.server().build())) {
            int port = server.listenAddresses().getFirst().port();
            byte[] random = new byte[4096];
            new Random(1).nextBytes(random);
            record Garbage(String name, byte[] first, byte[] then, String reason, String toClient) {
            }
            List<Garbage> cases = List.of(
                    new Garbage("an HTTP request", "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII), null,
                            "unsupported_version", "Unsupported protocol version"),
                    new Garbage("SSH 1.5", "SSH-1.5-ancient\r\n".getBytes(StandardCharsets.US_ASCII), null,
                            "unsupported_version", "Unsupported protocol version"),
                    new Garbage("a good banner, then a garbage packet", "SSH-2.0-fine\r\n".getBytes(StandardCharsets.US_ASCII), random,
                            "protocol_error", null),
                    // and nothing after it: the server must not wait for more bytes before it disconnects
                    new Garbage("a good banner, then a packet length of 4 GiB", "SSH-2.0-fine\r\n".getBytes(StandardCharsets.US_ASCII),
                            new byte[] {-1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0}, "protocol_error", null),
                    new Garbage("a good banner, then a packet length of 1", "SSH-2.0-fine\r\n".getBytes(StandardCharsets.US_ASCII),
                            new byte[] {0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0}, "protocol_error", null),
                    new Garbage("binary noise", random, null, "unsupported_version", null));
            for (Garbage garbage : cases) {
                try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                    socket.setSoTimeout(15_000);
                    OutputStream out = socket.getOutputStream();
                    InputStream in = socket.getInputStream();
                    out.write(garbage.first());
                    if (garbage.then() != null) {
                        out.write(garbage.then());
                    }
                    out.flush();
                    // returns once the server closed the connection (a server that waits fails with a timeout)
                    String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
                    assertThat(answer).as(garbage.name()).startsWith("SSH-2.0-alknet");
                    if (garbage.toClient() != null) {
                        assertThat(answer).as("what %s is told", garbage.name()).contains(garbage.toClient());
                    }
                    String line = "connection.protocol_error remote_addr=127.0.0.1 remote_port=" + socket.getLocalPort() + " ";
                    LogCapture.awaitMatching(line, "reason=");
                    assertThat(LogCapture.matching(line)).as("the audit line for %s among %s", garbage.name(),
                                    LogCapture.matching("remote_port=" + socket.getLocalPort()))
                            .singleElement().asString().startsWith("WARN alknet.audit").endsWith("reason=" + garbage.reason());
                }
            }
            try (AlknetClient client = Alknet.client(fixture.client(server).build())) {
                assertThat(client.tunnel().openChannel("127.0.0.1", echo.port()).toCompletableFuture().join().isOpen()).isTrue();
            }
            assertThat(LogCapture.matching("connection.protocol_error")).as("nothing reported for the good client").hasSize(cases.size());
        }
    }

    @Test
    void badHostKeysFailStartupWithAClearMessage() throws Exception {
        Fixture fixture = new Fixture(dir);
        String valid = Files.readString(fixture.hostKey);
        Path truncated = dir.resolve("truncated");
        Files.writeString(truncated, valid.substring(0, valid.length() / 2) + "\n-----END OPENSSH PRIVATE KEY-----\n");
        assertThatThrownBy(() -> Alknet.server(fixture.server().setting(BuiltIns.HOST_KEY, truncated).build()))
                .isInstanceOf(AlknetException.class)
                .satisfies(e -> assertThat(((AlknetException) e).code()).isEqualTo(ErrorCode.INVALID_KEY))
                .hasMessageContaining(truncated.toString()).hasMessageContaining("truncated or corrupt");
        Path pem = dir.resolve("pem");
        Files.writeString(pem, "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n");
        assertThatThrownBy(() -> Alknet.server(fixture.server().setting(BuiltIns.HOST_KEY, pem).build()))
                .hasMessageContaining("PEM").hasMessageContaining("OpenSSH format");
        assertThatThrownBy(() -> Alknet.server(fixture.server().setting(BuiltIns.HOST_KEY, dir.resolve("missing")).build()))
                .hasMessageContaining("key file not found");
    }
}
