package io.alknet.integration;

import io.alknet.api.transport.TransportAddress;
import io.alknet.defaults.BuiltIns;
import io.alknet.kernel.Alknet;
import io.alknet.kernel.AlknetClient;
import io.alknet.kernel.AlknetServer;
import io.alknet.kernel.ExtensionKind;
import io.alknet.kernel.KernelSettings;
import io.alknet.kernel.ListenerSpec;
import io.alknet.testkit.Loopback;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@link ForwardWithoutTcpTest} runs in a JVM whose class path lacks the tcp plugin: a server and a client that
 * know only the unix transport of examples/transport-uds (from a plugin directory), the server dialling its forward
 * targets over it ({@code server.forward-transport=unix}). Prints what it saw as {@code key=value} lines.
 */
public final class ForwardWithoutTcpScenario {

    private ForwardWithoutTcpScenario() {
    }

    /** {@code DIR EXAMPLE_JAR}: runs with 512 KiB of seeded random bytes and prints the result. */
    public static void main(String[] args) throws Exception {
        byte[] payload = Loopback.randomBytes(512 * 1024, 71);
        Map<String, Object> seen = run(Path.of(args[0]), Path.of(args[1]), payload);
        seen.put("echoed", java.util.Arrays.equals((byte[]) seen.get("echoed"), payload) ? "the same bytes" : "other bytes");
        seen.forEach((key, value) -> System.out.println(key + "=" + value));
        System.exit(0);
    }

    /** Sends {@code payload} through a {@code -L} forward to a Unix-socket echo service; returns what the run saw. */
    public static Map<String, Object> run(Path dir, Path exampleJar, byte[] payload) throws Exception {
        Map<String, Object> seen = new LinkedHashMap<>();
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Files.copy(exampleJar, plugins.resolve("transport-uds.jar"));
        Path targets = Files.createDirectories(dir.resolve("targets"));
        seen.put("transports", List.copyOf(Alknet.discover(Optional.of(plugins)).of(ExtensionKind.TRANSPORT).keySet()));

        Fixture fixture = new Fixture(dir);
        Path socket = dir.resolve("alknet.sock");
        try (UnixEcho echo = new UnixEcho(targets.resolve("echo-7.sock"));
             AlknetServer server = Alknet.server(BuiltIns.server()
                     .listen(new ListenerSpec(TransportAddress.parse("unix://localhost?path=" + socket, 0), BuiltIns.SSH))
                     .setting(BuiltIns.HOST_KEY, fixture.hostKey)
                     .setting(BuiltIns.AUTHORIZED_KEYS, fixture.authorizedKeys)
                     .stateDirectory(dir.resolve("state"))
                     .setting(KernelSettings.FORWARD_TRANSPORT, "unix")
                     .setting("transport.unix.directory", targets)
                     .pluginDirectory(plugins)
                     .build())) {
            seen.put("listening", server.listenAddresses().stream().map(TransportAddress::toString).toList());
            try (AlknetClient client = Alknet.client(fixture.client(server)
                    .pluginDirectory(plugins)
                    .frontEnd(BuiltIns.localForward("127.0.0.1:0:echo:7"))
                    .build())) {
                InetSocketAddress local = (InetSocketAddress) client.frontEndAddresses().getFirst().getFirst();
                seen.put("echoed", Loopback.roundTrip(local.getPort(), payload));
            }
            seen.put("echoConnections", echo.connections());
        }
        return seen;
    }

    /** An echo service on a Unix-domain socket, one virtual thread per connection. */
    private static final class UnixEcho implements AutoCloseable {
        private final ServerSocketChannel server;
        private final List<SocketChannel> accepted = new ArrayList<>();
        private final Thread acceptor;

        UnixEcho(Path socket) throws IOException {
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socket));
            acceptor = Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        SocketChannel connection = server.accept();
                        synchronized (accepted) {
                            accepted.add(connection);
                        }
                        Thread.ofVirtual().start(() -> echo(connection));
                    }
                } catch (IOException closed) {
                    // the server socket was closed
                }
            });
        }

        private static void echo(SocketChannel connection) {
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            try (connection) {
                while (connection.read(buffer) >= 0) {
                    buffer.flip();
                    while (buffer.hasRemaining()) {
                        connection.write(buffer);
                    }
                    buffer.clear();
                }
                connection.shutdownOutput();
            } catch (IOException e) {
                // the peer went away
            }
        }

        int connections() {
            synchronized (accepted) {
                return accepted.size();
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            acceptor.interrupt();
        }
    }
}
