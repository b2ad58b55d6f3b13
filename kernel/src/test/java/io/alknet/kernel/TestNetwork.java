package io.alknet.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicBoolean;

/** Real loopback peers for tests: an echo server that sends back every byte and half-closes on EOF. */
public final class TestNetwork {

    private TestNetwork() {
    }

    /** A TCP echo server on 127.0.0.1 with an ephemeral port; one virtual thread per connection. */
    public static final class EchoServer implements AutoCloseable {
        private final ServerSocket socket;
        private final AtomicBoolean closed = new AtomicBoolean();

        public EchoServer() throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread.ofVirtual().start(this::acceptLoop);
        }

        public int port() {
            return socket.getLocalPort();
        }

        private void acceptLoop() {
            while (!closed.get()) {
                try {
                    Socket client = socket.accept();
                    Thread.ofVirtual().start(() -> echo(client));
                } catch (IOException e) {
                    return;
                }
            }
        }

        private static void echo(Socket client) {
            try (client; InputStream in = client.getInputStream(); OutputStream out = client.getOutputStream()) {
                in.transferTo(out);
                client.shutdownOutput();
            } catch (IOException ignored) {
                // the peer went away
            }
        }

        @Override
        public void close() throws IOException {
            closed.set(true);
            socket.close();
        }
    }

    /** A port that nothing listens on (bound then released). */
    public static int unusedPort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }
}
