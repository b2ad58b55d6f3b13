package io.alknet.transport.iroh.internal;

import io.alknet.api.plugin.Settings;
import io.alknet.api.stream.TransportStream;
import io.alknet.api.transport.Listener;
import io.alknet.api.transport.TransportAddress;
import io.alknet.testkit.Loopback;
import io.alknet.testkit.contract.Received;
import io.alknet.testkit.contract.TestPluginContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Through a local relay: the iroh-relay crate's own server ({@code iroh-relay --dev}, plain HTTP on loopback, built by
 * {@code ./test} into {@code ~/.cache/alknet/iroh-relay}). The client knows only the server's endpoint id and relay,
 * no address: without the relay it could not find the server at all.
 */
class IrohRelayTest {

    /** {@code $ALKNET_IROH_RELAY}, else where {@code ./test} installs it. */
    private static final Path RELAY = Path.of(System.getenv().getOrDefault("ALKNET_IROH_RELAY",
            System.getProperty("user.home") + "/.cache/alknet/iroh-relay/bin/iroh-relay"));

    @TempDir
    Path dir;

    private Process relay;
    private IrohTransport server;
    private IrohTransport client;

    @BeforeAll
    static void nativeLibraryAndRelay() {
        NativeAvailable.assume();
        assumeTrue(Files.isExecutable(RELAY), () -> "no iroh-relay at " + RELAY + " (./test builds it with cargo install)");
    }

    @AfterEach
    void stop() throws InterruptedException {
        for (IrohTransport transport : new IrohTransport[] {client, server}) {
            if (transport != null) {
                transport.close();
            }
        }
        if (relay != null) {
            relay.destroy();
            relay.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private IrohTransport transport(String name, String relayUrl) {
        IrohTransport transport = (IrohTransport) new IrohTransportFactory().create(
                Settings.of("transport.iroh.", Map.of("relay", relayUrl)), TestPluginContext.in(dir.resolve(name)));
        transport.start();
        return transport;
    }

    @Test
    void aClientThatKnowsOnlyTheEndpointIdAndTheRelayReachesTheServer() throws Exception {
        int port = Loopback.unusedPort();
        Path config = dir.resolve("relay.toml");
        Files.writeString(config, "http_bind_addr = \"127.0.0.1:" + port + "\"\nenable_quic_addr_discovery = false\n");
        relay = new ProcessBuilder(RELAY.toString(), "--dev", "--config-path", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("relay.log").toFile()).start();
        String relayUrl = "http://127.0.0.1:" + port;
        awaitHttp(relayUrl);

        server = transport("server", relayUrl);
        Listener listener = server.listen(TransportAddress.of("iroh", "127.0.0.1", 0)).toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertThat(listener.address().param("relay")).as("the printed address names the home relay")
                .hasValueSatisfying(url -> assertThat(url).startsWith(relayUrl));

        client = transport("client", relayUrl);
        TransportAddress idAndRelayOnly = new TransportAddress("iroh", listener.address().host(), 0, Map.of("relay", List.of(relayUrl)));
        CompletableFuture<TransportStream> accepted = listener.accept().toCompletableFuture();
        TransportStream dialled = client.connect(idAndRelayOnly).toCompletableFuture().get(60, TimeUnit.SECONDS);
        byte[] up = Loopback.randomBytes(256 * 1024, 3);
        dialled.write(ByteBuffer.wrap(up)).toCompletableFuture().get(30, TimeUnit.SECONDS);
        TransportStream served = accepted.get(30, TimeUnit.SECONDS);
        Received atServer = new Received();
        served.start(atServer);
        atServer.awaitSize(up.length, 30);
        assertThat(atServer.bytes()).isEqualTo(up);
        Received atClient = new Received();
        dialled.start(atClient);
        served.write(ByteBuffer.wrap("over the relay".getBytes())).toCompletableFuture().get(30, TimeUnit.SECONDS);
        atClient.awaitSize(14, 30);
        assertThat(new String(atClient.bytes())).isEqualTo("over the relay");
        assertThat(served.peer().transportIdentity()).contains(client.endpointId());
    }

    private static void awaitHttp(String url) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            try {
                int status = http.send(HttpRequest.newBuilder(URI.create(url + "/")).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 200) {
                    return;
                }
                last = "HTTP " + status;
            } catch (java.io.IOException e) {
                last = e.toString();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the relay at " + url + " did not come up within 30 s: " + last);
    }
}
