package io.alknet.kernel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class TunnelEndToEndTest {

    @TempDir
    Path dir;

    @Test
    void bytesThroughALocalForwardArriveIdentical() throws Exception {
        Fixture fixture = new Fixture(dir);
        try (TestNetwork.EchoServer echo = new TestNetwork.EchoServer();
             AlknetServer server = Alknet.server(fixture.server().build());
             AlknetClient client = Alknet.client(fixture.client(server)
                     .frontEnd(FrontEndSpec.localForward("0:127.0.0.1:" + echo.port())).build())) {
            InetSocketAddress local = (InetSocketAddress) client.frontEndAddresses().getFirst().getFirst();
            byte[] payload = new byte[3 * 1024 * 1024];
            new Random(42).nextBytes(payload);
            try (Socket socket = new Socket(local.getAddress(), local.getPort())) {
                OutputStream out = socket.getOutputStream();
                InputStream in = socket.getInputStream();
                Thread writer = Thread.ofVirtual().start(() -> {
                    try {
                        out.write(payload);
                        socket.shutdownOutput();
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                });
                byte[] echoed = in.readAllBytes();
                writer.join();
                assertThat(echoed.length).isEqualTo(payload.length);
                assertThat(echoed).isEqualTo(payload);
            }
        }
    }
}
