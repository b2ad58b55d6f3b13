package io.alknet.integration;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small SOCKS5 proxy (RFC 1928, no authentication, CONNECT only) on 127.0.0.1 that records every
 * request as it arrived on the wire, so a test can see whether a name came unresolved. It knows only the
 * names it is given, each leading to a port on 127.0.0.1; anything else gets "host unreachable". It
 * never dials beyond loopback.
 */
final class RecordingSocks5Proxy implements AutoCloseable {

    /** One CONNECT as the client sent it: the address type (1 IPv4, 3 domain name, 4 IPv6), host and port. */
    record Request(int addressType, String host, int port) {
    }

    private final ServerSocket socket;
    private final Map<String, Integer> names;
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    /** @param names the host names this proxy resolves, each to a port on 127.0.0.1 */
    RecordingSocks5Proxy(Map<String, Integer> names) throws IOException {
        this.names = Map.copyOf(names);
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("recording-socks5").start(() -> {
            while (!socket.isClosed()) {
                try {
                    Socket client = socket.accept();
                    Thread.ofVirtual().start(() -> serve(client));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    int port() {
        return socket.getLocalPort();
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    private void serve(Socket client) {
        try (client) {
            client.setSoTimeout(30_000);
            DataInputStream in = new DataInputStream(client.getInputStream());
            OutputStream out = client.getOutputStream();
            if (in.readUnsignedByte() != 5) {
                return;
            }
            in.readFully(new byte[in.readUnsignedByte()]); // offered methods
            out.write(new byte[] {5, 0});
            int version = in.readUnsignedByte();
            int command = in.readUnsignedByte();
            in.readUnsignedByte();
            int type = in.readUnsignedByte();
            String host = switch (type) {
                case 1 -> InetAddress.getByAddress(in.readNBytes(4)).getHostAddress();
                case 4 -> InetAddress.getByAddress(in.readNBytes(16)).getHostAddress();
                case 3 -> new String(in.readNBytes(in.readUnsignedByte()), StandardCharsets.US_ASCII);
                default -> throw new IOException("address type " + type);
            };
            int port = in.readUnsignedShort();
            requests.add(new Request(type, host, port));
            Integer local = names.get(host);
            if (version != 5 || command != 1 || local == null) {
                out.write(new byte[] {5, 4, 0, 1, 0, 0, 0, 0, 0, 0});
                return;
            }
            try (Socket target = new Socket()) {
                target.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), local), 10_000);
                out.write(new byte[] {5, 0, 0, 1, 127, 0, 0, 1, 0, 0});
                out.flush();
                client.setSoTimeout(0);
                Thread upstream = Thread.ofVirtual().start(() -> copy(in, target));
                copy(target.getInputStream(), client);
                upstream.join();
            }
        } catch (IOException | InterruptedException ignored) {
            // the test sees what was recorded; a broken exchange shows as a failed transfer
        }
    }

    /** Copies until end of input, then half-closes {@code to}. */
    private static void copy(InputStream from, Socket to) {
        try {
            from.transferTo(to.getOutputStream());
            to.shutdownOutput();
        } catch (IOException ignored) {
            // one side went away
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
