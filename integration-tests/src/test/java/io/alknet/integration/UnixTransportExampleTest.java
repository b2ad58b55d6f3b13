package io.alknet.integration;

import io.alknet.api.transport.TransportAddress;
import io.alknet.defaults.BuiltIns;
import io.alknet.kernel.Alknet;
import io.alknet.kernel.AlknetClient;
import io.alknet.kernel.AlknetServer;
import io.alknet.kernel.FrontEndSpec;
import io.alknet.kernel.ListenerSpec;
import io.alknet.kernel.ServerOptions;
import io.alknet.testkit.Loopback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A third-party transport end to end: the example plugin examples/transport-uds, loaded from the plugin
 * directory (never from the class path), carries a real SSH session over a Unix-domain socket; a local
 * forward and a call both work through it.
 */
class UnixTransportExampleTest {

    /** The example plugin built by the reactor before this module (examples/transport-uds). */
    private static final Path EXAMPLE_JAR = Path.of("..", "examples", "transport-uds", "target", "alknet-example-transport-uds.jar");

    @TempDir
    Path dir;

    @Test
    void anSshSessionOverTheUnixTransportPluginForwardsBytesAndAnswersCalls() throws Exception {
        assertThatThrownBy(() -> Class.forName("com.example.unixtransport.UnixTransportPlugin"))
                .as("the example must come from the plugin directory, not the class path")
                .isInstanceOf(ClassNotFoundException.class);
        assertThat(EXAMPLE_JAR).as("the example plugin jar (built by ./mvnw verify before the kernel)").exists();
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Files.copy(EXAMPLE_JAR, plugins.resolve("transport-uds.jar"));
        Path socket = dir.resolve("alknet.sock");

        Fixture fixture = new Fixture(dir);
        ServerOptions serverOptions = BuiltIns.server()
                .listen(new ListenerSpec(TransportAddress.parse("unix://localhost:0?path=" + socket, 0), "ssh"))
                .setting(BuiltIns.HOST_KEY, fixture.hostKey)
                .setting(BuiltIns.AUTHORIZED_KEYS, fixture.authorizedKeys)
                .stateDirectory(dir.resolve("state"))
                .pluginDirectory(plugins)
                .build();
        try (Loopback.EchoServer echo = new Loopback.EchoServer();
             AlknetServer server = Alknet.server(serverOptions)) {
            TransportAddress listening = server.listenAddresses().getFirst();
            assertThat(listening.scheme()).isEqualTo("unix");
            assertThat(listening.param("path")).contains(socket.toString());
            assertThat(socket).exists();

            try (AlknetClient client = Alknet.client(fixture.client(server)
                    .pluginDirectory(plugins)
                    .frontEnd(BuiltIns.localForward("0:127.0.0.1:" + echo.port()))
                    .build())) {
                InetSocketAddress local = (InetSocketAddress) client.frontEndAddresses().getFirst().getFirst();
                byte[] payload = Loopback.randomBytes(3 * 1024 * 1024, 44);
                assertThat(Loopback.roundTrip(local.getPort(), payload)).isEqualTo(payload);

                Object pong = client.calls().call("/health/ping", Map.of()).toCompletableFuture().get(20, TimeUnit.SECONDS);
                assertThat(pong).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP).containsEntry("pong", true);
            }
        }
        assertThat(socket).as("closing the listener removes the socket file").doesNotExist();
    }
}
