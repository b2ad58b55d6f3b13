package io.alknet.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.LongSupplier;

/**
 * The server's local admin socket, {@code <state-dir>/admin.sock} (mode 0600: only the server's user may
 * use it), through which {@code alknet reload} asks a running server to reload. One request per connection,
 * one line each way: {@code reload} → {@code ok generation=N} or {@code error MESSAGE}. A line protocol this
 * small needs no library.
 */
final class AdminSocket implements AutoCloseable {

    static final String FILE_NAME = "admin.sock";
    private static final int MAX_REQUEST = 256;

    private final Path path;
    private final ServerSocketChannel server;

    private AdminSocket(Path path, ServerSocketChannel server) {
        this.path = path;
        this.server = server;
    }

    static Path path(Path stateDirectory) {
        return stateDirectory.resolve(FILE_NAME);
    }

    /**
     * Opens the socket and serves it on a virtual thread. If another live server already owns it, this
     * server runs without one (SIGHUP still reloads it) and says so.
     */
    static AdminSocket start(Path stateDirectory, LongSupplier reload, PrintWriter err) {
        Path path = path(stateDirectory);
        try {
            Files.createDirectories(stateDirectory);
            if (Files.exists(path)) {
                if (answers(path)) {
                    err.println("alknet: warning: another server owns " + path + "; 'alknet reload' will not reach this one "
                            + "(use SIGHUP, or a --state-dir of its own)");
                    err.flush();
                    return new AdminSocket(path, null);
                }
                Files.delete(path); // left behind by a server that died
            }
            ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(path));
            try {
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // the file system has no POSIX permissions
            }
            AdminSocket socket = new AdminSocket(path, server);
            Thread.ofVirtual().name("alknet-admin").start(() -> socket.serve(reload));
            return socket;
        } catch (IOException | UnsupportedOperationException e) {
            err.println("alknet: warning: no admin socket at " + path + " (" + e.getMessage() + "); reload with SIGHUP");
            err.flush();
            return new AdminSocket(path, null);
        }
    }

    private void serve(LongSupplier reload) {
        while (server.isOpen()) {
            try (SocketChannel client = server.accept()) {
                String request = readLine(client, MAX_REQUEST);
                String reply;
                if (request.equals("reload")) {
                    try {
                        reply = "ok generation=" + reload.getAsLong();
                    } catch (RuntimeException e) {
                        reply = "error " + String.valueOf(e.getMessage()).replace('\n', ' ');
                    }
                } else {
                    reply = "error unknown request; the only request is 'reload'";
                }
                client.write(ByteBuffer.wrap((reply + "\n").getBytes(StandardCharsets.UTF_8)));
            } catch (IOException e) {
                if (!server.isOpen()) {
                    return;
                }
            }
        }
    }

    /** Sends one request to the server at {@code path} and returns its reply line. */
    static String request(Path path, String request) throws IOException {
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            channel.write(ByteBuffer.wrap((request + "\n").getBytes(StandardCharsets.UTF_8)));
            return readLine(channel, 64 * 1024);
        }
    }

    private static boolean answers(Path path) {
        try (SocketChannel ignored = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String readLine(SocketChannel channel, int max) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(max);
        while (buffer.hasRemaining()) {
            int before = buffer.position();
            if (channel.read(buffer) < 0) {
                break;
            }
            for (int i = before; i < buffer.position(); i++) {
                if (buffer.get(i) == '\n') {
                    return new String(buffer.array(), 0, i, StandardCharsets.UTF_8).strip();
                }
            }
        }
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).strip();
    }

    @Override
    public void close() {
        if (server == null) {
            return;
        }
        try {
            server.close();
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // shutting down anyway
        }
    }
}
