package io.alknet.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real loopback peers that are slower than a tunnel, for tests that no byte is lost at the end of a
 * transfer: a source that sends a body at full speed and closes at once, a target that reads at a fixed
 * pace and answers with the SHA-256 of what it read, and a reader that takes a connection's bytes at a
 * fixed pace. Sockets get small buffers, so the bytes pile up in the tunnel, not in the kernel.
 */
public final class SlowPeers {

    /** Small socket buffers: what a slow peer has not read waits in the tunnel. */
    private static final int SOCKET_BUFFER = 64 * 1024;
    private static final int CHUNK = 16 * 1024;

    private SlowPeers() {
    }

    /** The SHA-256 of {@code bytes} in hex. */
    public static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What a slow reader got: the byte count and their SHA-256 in hex. */
    public record Read(long count, String sha256) {
    }

    /**
     * Reads {@code in} to its end at about {@code bytesPerSecond}. An error (a reset) is thrown, never taken
     * for the end.
     */
    public static Read readSlowly(InputStream in, long bytesPerSecond) throws IOException {
        MessageDigest digest = digest();
        byte[] buffer = new byte[CHUNK];
        long start = System.nanoTime();
        long count = 0;
        int n;
        while ((n = in.read(buffer)) >= 0) {
            digest.update(buffer, 0, n);
            count += n;
            pace(start, count, bytesPerSecond);
        }
        return new Read(count, HexFormat.of().formatHex(digest.digest()));
    }

    private static void pace(long startNanos, long count, long bytesPerSecond) {
        long dueNanos = startNanos + count * 1_000_000_000L / bytesPerSecond;
        long wait = dueNanos - System.nanoTime();
        if (wait > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    /** A socket to 127.0.0.1:{@code port} with small buffers (set before connecting, as the window scale needs). */
    public static Socket connect(int port) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(SOCKET_BUFFER);
        socket.setSendBufferSize(SOCKET_BUFFER);
        socket.setSoTimeout(120_000);
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
        return socket;
    }

    /** Connects to {@code port} and reads everything at {@code bytesPerSecond}, sending nothing. */
    public static Read download(int port, long bytesPerSecond) throws IOException {
        try (Socket socket = connect(port)) {
            return readSlowly(socket.getInputStream(), bytesPerSecond);
        }
    }

    /** Connects to {@code port}, sends {@code body}, half-closes and returns the answer up to the peer's close. */
    public static String upload(int port, byte[] body) throws IOException {
        try (Socket socket = connect(port)) {
            OutputStream out = socket.getOutputStream();
            out.write(body);
            socket.shutdownOutput();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
        }
    }

    /**
     * The TCP sockets in CLOSE-WAIT (the peer closed, this side never did: a leak) with a local or remote port
     * among {@code ports}, as {@code ss} lists them; waits up to {@code seconds} for them to go.
     */
    public static List<String> closeWait(long seconds, int... ports) throws IOException, InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        List<String> found;
        do {
            Process ss = new ProcessBuilder("ss", "-tanH", "state", "close-wait").redirectErrorStream(true).start();
            String output = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!ss.waitFor(10, TimeUnit.SECONDS) || ss.exitValue() != 0) {
                throw new IOException("ss -tan state close-wait failed (iproute2 installed?): " + output);
            }
            found = new ArrayList<>();
            for (String line : output.lines().toList()) {
                String[] fields = line.strip().split("\\s+");
                if (fields.length >= 4 && (hasPort(fields[2], ports) || hasPort(fields[3], ports))) {
                    found.add(line.strip());
                }
            }
            if (found.isEmpty()) {
                return found;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < until);
        return found;
    }

    private static boolean hasPort(String address, int... ports) {
        String port = address.substring(address.lastIndexOf(':') + 1);
        for (int candidate : ports) {
            if (port.equals(Integer.toString(candidate))) {
                return true;
            }
        }
        return false;
    }

    /** A loopback server for the peers below: one virtual thread per connection. */
    private abstract static class Server implements AutoCloseable {
        private final ServerSocket socket;
        private final List<Socket> accepted = new ArrayList<>();

        Server() throws IOException {
            socket = new ServerSocket();
            socket.setReceiveBufferSize(SOCKET_BUFFER);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
            Thread.ofVirtual().name("slow-peer-accept").start(this::acceptLoop);
        }

        public int port() {
            return socket.getLocalPort();
        }

        private void acceptLoop() {
            while (!socket.isClosed()) {
                try {
                    Socket client = socket.accept();
                    client.setSendBufferSize(SOCKET_BUFFER);
                    client.setSoTimeout(120_000);
                    synchronized (accepted) {
                        accepted.add(client);
                    }
                    Thread.ofVirtual().start(() -> {
                        try (client) {
                            serve(client);
                        } catch (IOException ignored) {
                            // the test sees the damage on its side
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        }

        abstract void serve(Socket client) throws IOException;

        @Override
        public void close() throws IOException {
            socket.close();
            synchronized (accepted) {
                for (Socket client : accepted) {
                    client.close();
                }
            }
        }
    }

    /**
     * Sends {@code body} to every connection at full speed and closes at once (not a half-close): the end
     * arrives while most of the body is still on its way. With {@code http}, it first reads a request's
     * head and answers with a {@code Connection: close} response carrying the body.
     */
    public static final class Source extends Server {
        private final byte[] body;
        private final boolean http;

        public Source(byte[] body, boolean http) throws IOException {
            this.body = body.clone();
            this.http = http;
        }

        @Override
        void serve(Socket client) throws IOException {
            OutputStream out = client.getOutputStream();
            if (http) {
                readRequestHead(client.getInputStream());
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: " + body.length
                        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            }
            out.write(body);
        }

        private static void readRequestHead(InputStream in) throws IOException {
            int matched = 0;
            byte[] end = {'\r', '\n', '\r', '\n'};
            while (matched < end.length) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("the request ended before its head did");
                }
                matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
            }
        }
    }

    /**
     * Reads each connection to its end at {@code bytesPerSecond}, then answers with the SHA-256 (hex) of what
     * it read and closes.
     */
    public static final class Sink extends Server {
        private final long bytesPerSecond;
        private final java.util.concurrent.BlockingQueue<String> ends = new java.util.concurrent.LinkedBlockingQueue<>();

        public Sink(long bytesPerSecond) throws IOException {
            this.bytesPerSecond = bytesPerSecond;
        }

        @Override
        void serve(Socket client) throws IOException {
            Read read;
            try {
                read = readSlowly(client.getInputStream(), bytesPerSecond);
            } catch (IOException e) {
                ends.add("error: " + e.getMessage());
                throw e;
            }
            ends.add("end after " + read.count() + " bytes");
            client.getOutputStream().write((read.sha256() + "\n").getBytes(StandardCharsets.US_ASCII));
        }

        /** How the next connection's input ended: {@code end after N bytes}, or {@code error: …} (a reset). */
        public String nextEnd(long seconds) throws InterruptedException {
            String end = ends.poll(seconds, TimeUnit.SECONDS);
            if (end == null) {
                throw new AssertionError("no connection ended within " + seconds + " s");
            }
            return end;
        }
    }

    /** Sends the first {@code before} bytes of {@code body} to every connection, then resets it (an RST, not a FIN). */
    public static final class Resetter extends Server {
        private final byte[] body;
        private final int before;

        public Resetter(byte[] body, int before) throws IOException {
            this.body = body.clone();
            this.before = before;
        }

        @Override
        void serve(Socket client) throws IOException {
            client.getOutputStream().write(body, 0, before);
            client.setSoLinger(true, 0);
            client.close();
        }
    }

    /** Connects to {@code port}, sends the first {@code before} bytes of {@code body} and resets the connection. */
    public static void uploadThenReset(int port, byte[] body, int before) throws IOException {
        Socket socket = connect(port);
        socket.getOutputStream().write(body, 0, before);
        socket.setSoLinger(true, 0);
        socket.close();
    }
}
