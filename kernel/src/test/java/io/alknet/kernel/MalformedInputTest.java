package io.alknet.kernel;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
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
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bad input gets a clear refusal and costs nothing else. */
class MalformedInputTest {

    @TempDir
    Path dir;

    @Test
    void garbageBannersCloseThatConnectionAndTheServerKeepsServing() throws Exception {
        Fixture fixture = new Fixture(dir);
        try (Loopback.EchoServer echo = new Loopback.EchoServer();
             AlknetServer server = Alknet.server(fixture.server().build())) {
            int port = server.listenAddresses().getFirst().port();
            byte[] random = new byte[4096];
            new Random(1).nextBytes(random);
            for (byte[] garbage : new byte[][] {
                    "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                    "SSH-1.5-ancient\r\n".getBytes(StandardCharsets.US_ASCII),
                    "SSH-2.0-fine\r\n".getBytes(StandardCharsets.US_ASCII),
                    random}) {
                try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                    socket.setSoTimeout(15_000);
                    OutputStream out = socket.getOutputStream();
                    InputStream in = socket.getInputStream();
                    out.write(garbage);
                    if (garbage != random && garbage[4] == '2') {
                        out.write(random); // a plausible banner, then a garbage binary packet
                    }
                    out.flush();
                    byte[] answer = in.readAllBytes(); // returns once the server closed the connection
                    assertThat(new String(answer, StandardCharsets.ISO_8859_1)).startsWith("SSH-2.0-alknet");
                }
            }
            try (AlknetClient client = Alknet.client(fixture.client(server).build())) {
                assertThat(client.tunnel().openChannel("127.0.0.1", echo.port()).toCompletableFuture().join().isOpen()).isTrue();
            }
        }
    }

    @Test
    void badHostKeysFailStartupWithAClearMessage() throws Exception {
        Fixture fixture = new Fixture(dir);
        String valid = Files.readString(fixture.hostKey);
        Path truncated = dir.resolve("truncated");
        Files.writeString(truncated, valid.substring(0, valid.length() / 2) + "\n-----END OPENSSH PRIVATE KEY-----\n");
        assertThatThrownBy(() -> Alknet.server(fixture.server().hostKey(truncated).build()))
                .isInstanceOf(AlknetException.class)
                .satisfies(e -> assertThat(((AlknetException) e).code()).isEqualTo(ErrorCode.INVALID_KEY))
                .hasMessageContaining(truncated.toString()).hasMessageContaining("truncated or corrupt");
        Path pem = dir.resolve("pem");
        Files.writeString(pem, "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n");
        assertThatThrownBy(() -> Alknet.server(fixture.server().hostKey(pem).build()))
                .hasMessageContaining("PEM").hasMessageContaining("OpenSSH format");
        assertThatThrownBy(() -> Alknet.server(fixture.server().hostKey(dir.resolve("missing")).build()))
                .hasMessageContaining("key file not found");
    }
}
