package io.alknet.integration;

import io.alknet.api.transport.TransportAddress;
import io.alknet.defaults.BuiltIns;
import io.alknet.interfaces.ssh.OpenSshKeys;
import io.alknet.kernel.Alknet;
import io.alknet.kernel.AlknetClient;
import io.alknet.kernel.AlknetServer;
import io.alknet.kernel.ClientOptions;
import io.alknet.kernel.ReconnectPolicy;
import io.alknet.testkit.Loopback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * ACME against a real Pebble (built from the Go module proxy by {@code .ci/pebble.sh}): the server orders a
 * certificate with HTTP-01, serves it, a client trusting Pebble's root connects, and a renewal swaps the
 * certificate while that client's session stays up.
 */
class AcmeTest {

    private static final Path PEBBLE_HOME = Path.of(System.getenv().getOrDefault("ALKNET_PEBBLE_HOME",
            System.getProperty("user.home") + "/.cache/alknet/pebble"));

    @TempDir
    Path dir;

    @Test
    void aCertificateFromPebbleIsServedAndRenewedWithoutDroppingSessions() throws Exception {
        Path pebble = PEBBLE_HOME.resolve("bin/pebble");
        if (!Files.isExecutable(pebble)) {
            fail("Pebble is not built: run 'bash .ci/pebble.sh' (needs Go; ./test does it)");
        }
        int acmePort = Loopback.unusedPort();
        int managementPort = Loopback.unusedPort();
        int httpPort = Loopback.unusedPort();
        Path config = dir.resolve("pebble.json");
        Files.writeString(config, """
                {"pebble": {"listenAddress": "127.0.0.1:%d", "managementListenAddress": "127.0.0.1:%d",
                 "certificate": "%s", "privateKey": "%s", "httpPort": %d, "tlsPort": %d,
                 "ocspResponderURL": "", "externalAccountBindingRequired": false}}
                """.formatted(acmePort, managementPort, PEBBLE_HOME.resolve("certs/cert.pem"), PEBBLE_HOME.resolve("certs/key.pem"),
                httpPort, Loopback.unusedPort()));
        ProcessBuilder builder = new ProcessBuilder(pebble.toString(), "-config", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("pebble.log").toFile());
        builder.environment().put("PEBBLE_VA_NOSLEEP", "1");
        builder.environment().put("PEBBLE_WFE_NONCEREJECT", "0");
        Process ca = builder.start();
        try {
            waitForPort(acmePort, ca);
            waitForPort(managementPort, ca);
            Fixture fixture = new Fixture(dir);
            try (AlknetServer server = Alknet.server(fixture.server()
                    .listen(BuiltIns.ssh("tls://127.0.0.1:0"))
                    .setting("transport.tls.acme-domain", "localhost")
                    .setting("transport.tls.acme-directory", "https://localhost:" + acmePort + "/dir")
                    .setting("transport.tls.acme-ca", PEBBLE_HOME.resolve("certs/minica.pem").toString())
                    .setting("transport.tls.acme-http-port", Integer.toString(httpPort))
                    // renew at every check, every few seconds: a forced renewal
                    .setting("transport.tls.acme-renew-before", "36500d")
                    .setting("transport.tls.acme-check-interval", "3s")
                    .build())) {
                assertThat(Files.readString(fixture.dir.resolve("state/acme/certificate-key.pem"))).startsWith("-----BEGIN PRIVATE KEY-----");
                int tlsPort = server.listenAddresses().get(1).port();
                Path root = dir.resolve("pebble-root.pem");
                Files.writeString(root, fetchInsecure("https://127.0.0.1:" + managementPort + "/roots/0"));

                String first = servedFingerprint(tlsPort);
                try (AlknetClient client = Alknet.client(BuiltIns.client(TransportAddress.parse("tls://localhost:" + tlsPort, 0))
                        .identity(fixture.clientKey).user("alice").stateDirectory(dir.resolve("client"))
                        .reconnect(ReconnectPolicy.NEVER)
                        .hostKeys(new io.alknet.api.interfaces.HostKeyVerification.Pinned(List.of(OpenSshKeys.fingerprint(fixture.host.getPublic()))))
                        .setting("transport.tls.ca", root.toString())
                        .build())) {
                    assertThat(ping(client)).isTrue();
                    // the renewal swaps the certificate in...
                    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
                    String now = first;
                    while (now.equals(first) && System.nanoTime() < until) {
                        Thread.sleep(500);
                        now = servedFingerprint(tlsPort);
                    }
                    assertThat(now).as("the served certificate after a renewal").isNotEqualTo(first);
                    // ... and the live session never noticed
                    assertThat(client.connected()).isTrue();
                    assertThat(ping(client)).isTrue();
                }
            }
        } finally {
            ca.destroy();
            ca.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static boolean ping(AlknetClient client) throws Exception {
        return client.calls().call("/health/ping", Map.of()).toCompletableFuture().get(20, TimeUnit.SECONDS) instanceof Map<?, ?> pong
                && Boolean.TRUE.equals(pong.get("pong"));
    }

    private static String fetchInsecure(String url) throws Exception {
        Process curl = new ProcessBuilder("curl", "-sSk", "--fail", url).redirectErrorStream(true).start();
        String body = new String(curl.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertThat(curl.waitFor()).as(body).isZero();
        return body;
    }

    /** The SHA-256 of the certificate a fresh TLS handshake sees. */
    private static String servedFingerprint(int port) throws Exception {
        try (SSLSocket socket = TrustingTls.socket(port, null)) {
            socket.startHandshake();
            X509Certificate leaf = (X509Certificate) socket.getSession().getPeerCertificates()[0];
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(leaf.getEncoded()))
                    + "/" + Base64.getEncoder().encodeToString(leaf.getSerialNumber().toByteArray());
        }
    }

    private static void waitForPort(int port, Process process) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < until) {
            if (!process.isAlive()) {
                fail("pebble exited: " + new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        fail("pebble did not listen on " + port);
    }
}
