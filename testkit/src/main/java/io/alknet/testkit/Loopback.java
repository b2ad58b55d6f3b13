package io.alknet.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Random;

/** Real loopback peers for tests. */
public final class Loopback {

    private Loopback() {
    }

    /** A port on 127.0.0.1 that nothing listens on (bound, then released). */
    public static int unusedPort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    /** {@code size} reproducible pseudo-random bytes. */
    public static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /**
     * Connects to 127.0.0.1:{@code port}, sends {@code payload} while reading, half-closes, and returns
     * everything read until the peer closed.
     */
    public static byte[] roundTrip(int port, byte[] payload) throws IOException, InterruptedException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    out.write(payload);
                    socket.shutdownOutput();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            byte[] received = in.readAllBytes();
            writer.join();
            return received;
        }
    }

    /** A UDP echo server on 127.0.0.1: sends every datagram back to its sender. */
    public static final class UdpEchoServer implements AutoCloseable {
        private final java.net.DatagramSocket socket;

        public UdpEchoServer() throws IOException {
            socket = new java.net.DatagramSocket(0, InetAddress.getLoopbackAddress());
            Thread.ofVirtual().name("udp-echo").start(() -> {
                byte[] buffer = new byte[65_535];
                while (!socket.isClosed()) {
                    try {
                        java.net.DatagramPacket packet = new java.net.DatagramPacket(buffer, buffer.length);
                        socket.receive(packet);
                        socket.send(new java.net.DatagramPacket(packet.getData(), packet.getLength(), packet.getSocketAddress()));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        public int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    /** A TCP echo server on 127.0.0.1: sends back every byte and half-closes on end of input. */
    public static final class EchoServer implements AutoCloseable {
        private final ServerSocket socket;

        public EchoServer() throws IOException {
            this(InetAddress.getLoopbackAddress());
        }

        /** An echo server on another address, e.g. 127.0.0.77 (any 127/8 address is loopback on Linux). */
        public EchoServer(InetAddress address) throws IOException {
            socket = new ServerSocket(0, 200, address);
            Thread.ofVirtual().name("echo-accept").start(this::acceptLoop);
        }

        public int port() {
            return socket.getLocalPort();
        }

        private void acceptLoop() {
            while (!socket.isClosed()) {
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
            socket.close();
        }
    }
}
