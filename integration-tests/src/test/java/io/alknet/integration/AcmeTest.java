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
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * ACME against a real Pebble (built from the Go module proxy by {@code .ci/pebble.sh}): the server orders a
 * certificate with HTTP-01, serves it, a client trusting Pebble's root connects, and a renewal swaps the
 * certificate while that client's session stays up; with TLS-ALPN-01 a stealth port alone gets and renews it while
 * Pebble's HTTP port leads nowhere.
 */
class AcmeTest {

    private static final Path PEBBLE_HOME = Path.of(System.getenv().getOrDefault("ALKNET_PEBBLE_HOME",
            System.getProperty("user.home") + "/.cache/alknet/pebble"));

    @TempDir
    Path dir;

    /** A running Pebble, its log, and where it listens. */
    private record Pebble(Process process, int acmePort, int managementPort, Path log) implements AutoCloseable {
        String directory() {
            return "https://localhost:" + acmePort + "/dir";
        }

        /** Pebble's root, which signs what it issues (a new one every time Pebble starts). */
        Path root(Path dir) throws Exception {
            Path root = dir.resolve("pebble-root.pem");
            Files.writeString(root, fetchInsecure("https://127.0.0.1:" + managementPort + "/roots/0"));
            return root;
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Starts Pebble with its validation authority trying HTTP-01 on {@code httpPort} and TLS-ALPN-01 on {@code tlsPort}. */
    private Pebble pebble(int httpPort, int tlsPort, Map<String, String> environment) throws Exception {
        Path pebble = PEBBLE_HOME.resolve("bin/pebble");
        if (!Files.isExecutable(pebble)) {
            fail("Pebble is not built: run 'bash .ci/pebble.sh' (needs Go; ./test does it)");
        }
        int acmePort = Loopback.unusedPort();
        int managementPort = Loopback.unusedPort();
        Path config = dir.resolve("pebble.json");
        Files.writeString(config, """
                {"pebble": {"listenAddress": "127.0.0.1:%d", "managementListenAddress": "127.0.0.1:%d",
                 "certificate": "%s", "privateKey": "%s", "httpPort": %d, "tlsPort": %d,
                 "ocspResponderURL": "", "externalAccountBindingRequired": false}}
                """.formatted(acmePort, managementPort, PEBBLE_HOME.resolve("certs/cert.pem"), PEBBLE_HOME.resolve("certs/key.pem"),
                httpPort, tlsPort));
        Path log = dir.resolve("pebble.log");
        ProcessBuilder builder = new ProcessBuilder(pebble.toString(), "-config", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("PEBBLE_VA_NOSLEEP", "1");
        builder.environment().put("PEBBLE_WFE_NONCEREJECT", "0");
        builder.environment().putAll(environment);
        Pebble ca = new Pebble(builder.start(), acmePort, managementPort, log);
        try {
            waitForPort(acmePort, ca.process());
            waitForPort(managementPort, ca.process());
            return ca;
        } catch (Exception | AssertionError e) {
            ca.close();
            throw e;
        }
    }

    @Test
    void aCertificateFromPebbleIsServedAndRenewedWithoutDroppingSessions() throws Exception {
        int httpPort = Loopback.unusedPort();
        try (Pebble ca = pebble(httpPort, Loopback.unusedPort(), Map.of())) {
            Fixture fixture = new Fixture(dir);
            try (AlknetServer server = Alknet.server(fixture.server()
                    .listen(BuiltIns.ssh("tls://127.0.0.1:0"))
                    .setting("transport.tls.acme-domain", "localhost")
                    .setting("transport.tls.acme-directory", ca.directory())
                    .setting("transport.tls.acme-ca", PEBBLE_HOME.resolve("certs/minica.pem").toString())
                    .setting("transport.tls.acme-http-port", Integer.toString(httpPort))
                    // renew at every check, every few seconds: a forced renewal
                    .setting("transport.tls.acme-renew-before", "36500d")
                    .setting("transport.tls.acme-check-interval", "3s")
                    .build())) {
                assertThat(Files.readString(fixture.dir.resolve("state/acme/certificate-key.pem"))).startsWith("-----BEGIN PRIVATE KEY-----");
                int tlsPort = server.listenAddresses().get(1).port();
                Path root = ca.root(dir);

                String first = servedFingerprint(tlsPort);
                try (AlknetClient client = client(fixture, tlsPort, root)) {
                    assertThat(ping(client)).isTrue();
                    // the renewal swaps the certificate in...
                    String now = renewed(tlsPort, first);
                    assertThat(now).as("the served certificate after a renewal").isNotEqualTo(first);
                    // ... and the live session never noticed
                    assertThat(client.connected()).isTrue();
                    assertThat(ping(client)).isTrue();
                }
            }
        }
    }

    /**
     * Issue 25: a host that opens only 443 gets its certificate through TLS-ALPN-01 on the stealth port itself. Pebble's
     * HTTP-01 port is a closed one, so HTTP-01 cannot be what succeeded; Pebble reuses no authorization here, so the
     * renewal is validated again, through the same port while it serves.
     */
    @Test
    void tlsAlpn01GetsAndRenewsTheCertificateOnTheStealthPortWithPort80Closed() throws Exception {
        int stealthPort = Loopback.unusedPort();
        int closedHttpPort = Loopback.unusedPort();
        try (Pebble ca = pebble(closedHttpPort, stealthPort, Map.of("PEBBLE_AUTHZREUSE", "0"))) {
            Fixture fixture = new Fixture(dir);
            try (AlknetServer server = Alknet.server(fixture.server()
                    .listen(BuiltIns.ssh("tls://127.0.0.1:" + stealthPort))
                    .setting("transport.tls.stealth", "true")
                    .setting("transport.tls.acme-domain", "localhost")
                    .setting("transport.tls.acme-directory", ca.directory())
                    .setting("transport.tls.acme-ca", PEBBLE_HOME.resolve("certs/minica.pem").toString())
                    // no acme-http-port: TLS-ALPN-01 is the default; renew at every check, the first one 15 s after start
                    .setting("transport.tls.acme-renew-before", "36500d")
                    .setting("transport.tls.acme-check-interval", "15s")
                    .build())) {
                assertThat(Files.readString(ca.log())).contains("set VALID by completed challenge").doesNotContain("validate w/ HTTP");
                Path root = ca.root(dir);
                // a browser gets the decoy, with the issued certificate
                try (SSLSocket browser = TrustingTls.socket(stealthPort, "localhost")) {
                    browser.getOutputStream().write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    assertThat(new String(browser.getInputStream().readNBytes(22), StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 404 Not Found");
                    X509Certificate leaf = (X509Certificate) browser.getSession().getPeerCertificates()[0];
                    assertThat(leaf.getSubjectAlternativeNames()).anyMatch(name -> "localhost".equals(name.get(1)));
                    assertThat(leaf.getCriticalExtensionOIDs()).as("not a validation certificate").doesNotContain("1.3.6.1.5.5.7.1.31");
                }
                // with no challenge pending, acme-tls/1 gets a handshake failure
                try (SSLSocket late = TrustingTls.socket(stealthPort, "localhost")) {
                    SSLParameters parameters = late.getSSLParameters();
                    parameters.setApplicationProtocols(new String[] {"acme-tls/1"});
                    late.setSSLParameters(parameters);
                    assertThatThrownBy(late::startHandshake).isInstanceOf(SSLHandshakeException.class);
                }
                // SSH on the same port, the client verifying the certificate by Pebble's root and the name
                String first = servedFingerprint(stealthPort);
                try (AlknetClient client = client(fixture, stealthPort, root)) {
                    assertThat(ping(client)).isTrue();
                    assertThat(renewed(stealthPort, first)).as("the served certificate after a renewal").isNotEqualTo(first);
                    assertThat(ping(client)).isTrue();
                }
                String log = Files.readString(ca.log());
                assertThat(log.split("set VALID by completed challenge", -1)).as("validations in %s", log).hasSizeGreaterThanOrEqualTo(3);
                assertThat(log).doesNotContain("validate w/ HTTP");
            }
        }
    }

    private AlknetClient client(Fixture fixture, int tlsPort, Path root) {
        return Alknet.client(BuiltIns.client(TransportAddress.parse("tls://localhost:" + tlsPort, 0))
                .identity(fixture.clientKey).user("alice").stateDirectory(dir.resolve("client"))
                .reconnect(ReconnectPolicy.NEVER)
                .hostKeys(new io.alknet.api.interfaces.HostKeyVerification.Pinned(List.of(OpenSshKeys.fingerprint(fixture.host.getPublic()))))
                .setting("transport.tls.ca", root.toString())
                .build());
    }

    /** The served certificate's fingerprint once it is no longer {@code first} (or still it, after 90 s). */
    private static String renewed(int tlsPort, String first) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        String now = first;
        while (now.equals(first) && System.nanoTime() < until) {
            Thread.sleep(500);
            now = servedFingerprint(tlsPort);
        }
        return now;
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
