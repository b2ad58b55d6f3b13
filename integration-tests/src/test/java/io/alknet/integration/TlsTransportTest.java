package io.alknet.integration;

import io.alknet.api.AlknetException;
import io.alknet.api.transport.TransportAddress;
import io.alknet.defaults.BuiltIns;
import io.alknet.interfaces.ssh.OpenSshKeys;
import io.alknet.kernel.Alknet;
import io.alknet.kernel.AlknetClient;
import io.alknet.kernel.AlknetServer;
import io.alknet.kernel.ClientOptions;
import io.alknet.kernel.FrontEndSpec;
import io.alknet.kernel.ReconnectPolicy;
import io.alknet.kernel.ServerOptions;
import io.alknet.testkit.Loopback;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The tls transport and its stealth listener against real tools: curl through SOCKS5 over TLS, OpenSSH
 * through {@code openssl s_client}, curl and raw TLS probes against the decoy, and every certificate failure.
 */
class TlsTransportTest {

    @TempDir
    Path dir;

    private Fixture fixture;
    private Path cert;
    private Path key;

    @BeforeEach
    void certificates() throws Exception {
        fixture = new Fixture(dir);
        cert = dir.resolve("cert.pem");
        key = dir.resolve("key.pem");
        run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key.toString(),
                "-out", cert.toString(), "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1");
    }

    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + ": " + output).isZero();
        return output;
    }

    private ServerOptions.Builder tlsServer(boolean stealth, Path certificate, Path privateKey) {
        return fixture.server()
                .listen(BuiltIns.ssh("tls://127.0.0.1:0"))
                .setting("transport.tls.cert", certificate.toString())
                .setting("transport.tls.key", privateKey.toString())
                .setting("transport.tls.stealth", Boolean.toString(stealth));
    }

    private static TransportAddress tlsAddress(AlknetServer server) {
        return server.listenAddresses().stream().filter(address -> address.scheme().equals("tls")).findFirst().orElseThrow();
    }

    private ClientOptions.Builder tlsClient(AlknetServer server, String pin) {
        return BuiltIns.client(tlsAddress(server))
                .identity(fixture.clientKey)
                .user("alice")
                .reconnect(ReconnectPolicy.NEVER)
                .stateDirectory(dir.resolve("client-state"))
                .hostKeys(new io.alknet.api.interfaces.HostKeyVerification.Pinned(List.of(OpenSshKeys.fingerprint(fixture.host.getPublic()))))
                .setting("transport.tls.fingerprint", pin);
    }

    @Test
    void socksThroughAStealthTlsListenerAndOpenSshThroughOpensslSClient() throws Exception {
        byte[] body = Loopback.randomBytes(200_000, 5);
        try (TestWeb web = new TestWeb(body);
             AlknetServer server = Alknet.server(tlsServer(true, cert, key).build())) {
            String pin = server.info().get("tls.certificate-fingerprint");
            assertThat(pin).startsWith("SHA256:");
            try (AlknetClient client = Alknet.client(tlsClient(server, pin).frontEnd(BuiltIns.socks5("127.0.0.1:0")).build())) {
                InetSocketAddress socks = (InetSocketAddress) client.frontEndAddresses().getFirst().getFirst();
                Path out = dir.resolve("fetched");
                run("curl", "-sS", "--fail", "--max-time", "30", "--socks5-hostname", "127.0.0.1:" + socks.getPort(),
                        "-o", out.toString(), "http://localhost:" + web.port() + "/");
                assertThat(Files.readAllBytes(out)).isEqualTo(body);
            }

            // OpenSSH, with TLS done by openssl s_client (no ALPN, no alknet code on the client side)
            OpenSsh.requireInstalled();
            int tlsPort = tlsAddress(server).port();
            int localPort = Loopback.unusedPort();
            Path knownHosts = OpenSsh.knownHosts(dir, tlsPort, OpenSshKeys.publicKeyLine(fixture.host.getPublic(), "host"));
            List<String> ssh = OpenSsh.clientBase(fixture.clientKey, knownHosts, tlsPort);
            ssh.addAll(List.of("-o", "ProxyCommand=openssl s_client -quiet -verify_quiet -connect 127.0.0.1:" + tlsPort,
                    "-N", "-L", "127.0.0.1:" + localPort + ":127.0.0.1:" + web.port(), "alice@127.0.0.1"));
            try (OpenSsh.Running running = OpenSsh.start(ssh, dir, "ssh")) {
                OpenSsh.awaitListening(localPort, running, Duration.ofSeconds(30));
                Path out = dir.resolve("fetched-openssh");
                run("curl", "-sS", "--fail", "--max-time", "30", "-o", out.toString(), "http://127.0.0.1:" + localPort + "/");
                assertThat(Files.readAllBytes(out)).isEqualTo(body);
            }
        }
    }

    @Test
    void theStealthPortLooksLikeNginxToEverythingThatIsNotSsh() throws Exception {
        Path decoy = Files.createDirectories(dir.resolve("www"));
        Files.writeString(decoy.resolve("index.html"), "<h1>Welcome to my homepage</h1>\n");
        try (AlknetServer server = Alknet.server(tlsServer(true, cert, key).setting("transport.tls.decoy-dir", decoy.toString()).build())) {
            int port = tlsAddress(server).port();
            // curl -k by IP: no SNI
            String missing = run("curl", "-sk", "-i", "https://127.0.0.1:" + port + "/admin");
            assertThat(missing).startsWith("HTTP/1.1 404 Not Found\r\nServer: nginx\r\nDate: ")
                    .contains("\r\nContent-Type: text/html\r\nContent-Length: 146\r\nConnection: keep-alive\r\n\r\n")
                    .endsWith("<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n"
                            + "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n");
            assertThat(run("curl", "-sk", "https://localhost:" + port + "/")).isEqualTo("<h1>Welcome to my homepage</h1>\n");
            // a path that does not decode: nginx's 400, not a silent close
            assertThat(run("curl", "-sk", "-i", "--path-as-is", "https://127.0.0.1:" + port + "/%zz"))
                    .startsWith("HTTP/1.1 400 Bad Request\r\nServer: nginx\r\n");
            // plain HTTP on the TLS port: nginx's own 400
            assertThat(run("curl", "-s", "-i", "http://127.0.0.1:" + port + "/"))
                    .startsWith("HTTP/1.1 400 Bad Request\r\nServer: nginx\r\n")
                    .contains("The plain HTTP request was sent to HTTPS port");
            // openssl s_client sees a certificate and a web server
            Process openssl = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-quiet", "-verify_quiet")
                    .redirectErrorStream(true).start();
            openssl.getOutputStream().write("HEAD / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            openssl.getOutputStream().flush();
            String seen = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            openssl.waitFor(20, TimeUnit.SECONDS);
            assertThat(seen).contains("HTTP/1.1 200 OK").contains("Server: nginx").doesNotContain("SSH-");
            // random bytes inside TLS, with and without SNI: an nginx 400 and a close, never an SSH banner
            for (String sni : new String[] {null, "example.org"}) {
                byte[] noise = new byte[300];
                new Random(7).nextBytes(noise);
                noise[0] = 'x';
                String answer = tlsExchange(port, sni, noise, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(answer).startsWith("HTTP/1.1 400 Bad Request\r\nServer: nginx\r\n").doesNotContain("SSH-");
            }
            // a TLS client that sends nothing gets nothing (no banner first, unlike an SSH server)
            assertThat(tlsExchangeSilent(port)).isEmpty();
        }
    }

    @Test
    void theStealthPortHandsAuthenticatedCallsToTheHttpInterfaceInProcessAndShowsNginxToEveryoneElse() throws Exception {
        int httpPort = Loopback.unusedPort();
        // what `alknet serve --stealth --http` configures: no trusted proxies, no loopback hop
        try (AlknetServer server = Alknet.server(tlsServer(true, cert, key).setting("interface.http.listen", "127.0.0.1:" + httpPort).build())) {
            int port = tlsAddress(server).port();
            String token = io.alknet.api.identity.AuthToken.sign(OpenSshKeys.publicKeyBlob(fixture.client.getPublic()),
                    fixture.client.getPrivate(), java.time.Instant.now()).encode();
            String called = run("curl", "-sk", "-H", "Authorization: Bearer " + token, "-d", "{}",
                    "https://127.0.0.1:" + port + "/v1/call/health/ping");
            assertThat(called).startsWith("{\"data\":{\"pong\":true");

            // no credential: nginx's 404, byte for byte as for any other path, and nothing reaches the interface
            LogCapture.clear();
            String anonymous = run("curl", "-sk", "-i", "-d", "{}", "https://127.0.0.1:" + port + "/v1/call/health/ping");
            String elsewhere = run("curl", "-sk", "-i", "-d", "{}", "https://127.0.0.1:" + port + "/v2/call/health/ping");
            assertThat(withoutDate(anonymous)).isEqualTo(withoutDate(elsewhere)).startsWith("HTTP/1.1 404 Not Found\r\nServer: nginx\r\n")
                    .doesNotContain("alknet").doesNotContain("WWW-Authenticate");
            assertThat(LogCapture.matching("auth.failure")).isEmpty();

            // a wrong credential from 127.0.0.2, with a forged X-Forwarded-For: nginx's 404 too, and the audit line names
            // the address of the TLS connection itself
            String refused = run("curl", "-sk", "-i", "--interface", "127.0.0.2", "-H", "Authorization: Bearer alk_wrong",
                    "-H", "X-Forwarded-For: 203.0.113.66", "-d", "{}", "https://127.0.0.1:" + port + "/v1/call/health/ping");
            assertThat(withoutDate(refused)).isEqualTo(withoutDate(elsewhere));
            assertThat(LogCapture.matching("auth.failure")).singleElement().satisfies(line -> assertThat(line)
                    .contains("remote_addr=127.0.0.2").contains("transport=tls").doesNotContain("203.0.113.66"));

            // the HTTP interface's own port trusts no X-Forwarded-For either, not even from loopback
            LogCapture.clear();
            String direct = run("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-H", "X-Forwarded-For: 203.0.113.66",
                    "-d", "{}", "http://127.0.0.1:" + httpPort + "/v1/call/health/ping");
            assertThat(direct).isEqualTo("401");
            assertThat(LogCapture.matching("auth.failure")).singleElement().satisfies(line -> assertThat(line)
                    .contains("remote_addr=127.0.0.1").doesNotContain("203.0.113.66"));
        }
    }

    /**
     * A stranger's call with a large announced body is answered at once, as nginx answers it, before any of the body
     * is sent: the credential is checked on the head, so the stealth port never holds a body for a stranger (it held
     * up to 1 MiB per connection) and waiting for the body cannot tell it from nginx.
     */
    @Test
    void aStrangersCallIsAnsweredBeforeItsBody() throws Exception {
        int httpPort = Loopback.unusedPort();
        try (AlknetServer server = Alknet.server(tlsServer(true, cert, key).setting("interface.http.listen", "127.0.0.1:" + httpPort).build());
             SSLSocket socket = TrustingTls.socket(tlsAddress(server).port(), null)) {
            socket.setSoTimeout(15_000);
            socket.getOutputStream().write(("POST /v1/call/health/ping HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer alk_wrong\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 1000000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            byte[] head = new byte[64];
            int n = socket.getInputStream().read(head); // a timeout here: the answer waited for the body
            assertThat(new String(head, 0, Math.max(n, 0), StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 404 Not Found\r\nServer: nginx\r\n");
            LogCapture.awaitMatching("auth.failure", "reason=");
            assertThat(LogCapture.matching("auth.failure")).anySatisfy(line -> assertThat(line).contains("transport=tls"));
        }
    }

    private static String withoutDate(String response) {
        return response.replaceFirst("\r\nDate: [^\r]*\r\n", "\r\nDate: -\r\n");
    }

    /** Writes {@code parts} over TLS (trusting anything) and returns all the server sends until it closes. */
    private static String tlsExchange(int port, String sni, byte[]... parts) throws Exception {
        try (SSLSocket socket = TrustingTls.socket(port, sni)) {
            for (byte[] part : parts) {
                socket.getOutputStream().write(part);
            }
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private static String tlsExchangeSilent(int port) throws Exception {
        try (SSLSocket socket = TrustingTls.socket(port, null)) {
            socket.setSoTimeout(1500);
            socket.startHandshake();
            InputStream in = socket.getInputStream();
            try {
                int first = in.read();
                return first < 0 ? "" : "got data: " + first;
            } catch (java.net.SocketTimeoutException quiet) {
                return "";
            }
        }
    }


    @Test
    void certificateAndProtocolFailuresSayWhatIsWrongAndTheServerKeepsServing() throws Exception {
        // an expired certificate, made by keytool with a validity window in the past
        Path store = dir.resolve("expired.p12");
        run("keytool", "-genkeypair", "-alias", "old", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-startdate", "2020/01/01 00:00:00", "-validity", "1", "-keystore", store.toString(), "-storetype", "PKCS12",
                "-storepass", "changeit", "-keypass", "changeit");
        Path expiredCert = dir.resolve("expired-cert.pem");
        Path expiredKey = dir.resolve("expired-key.pem");
        run("openssl", "pkcs12", "-in", store.toString(), "-passin", "pass:changeit", "-nokeys", "-out", expiredCert.toString());
        run("openssl", "pkcs12", "-in", store.toString(), "-passin", "pass:changeit", "-nocerts", "-nodes", "-out", expiredKey.toString());

        try (AlknetServer server = Alknet.server(tlsServer(false, cert, key).build());
             AlknetServer expired = Alknet.server(fixture.server().listen(BuiltIns.ssh("tls://127.0.0.1:0"))
                     .setting("transport.tls.cert", expiredCert.toString()).setting("transport.tls.key", expiredKey.toString())
                     .stateDirectory(dir.resolve("state2")).build())) {
            String pin = server.info().get("tls.certificate-fingerprint");
            String otherPin = expired.info().get("tls.certificate-fingerprint");

            // 1. the wrong certificate (pinned something else)
            assertThatThrownBy(() -> Alknet.client(tlsClient(server, otherPin).build()))
                    .isInstanceOf(AlknetException.class).hasMessageContaining("not the pinned one").hasMessageContaining(pin);
            // 2. not trusted at all (no pin, not in the system store)
            assertThatThrownBy(() -> Alknet.client(tlsClient(server, pin).setting("transport.tls.fingerprint", "")
                    .build())).isInstanceOf(AlknetException.class).hasMessageContaining("--tls-fingerprint");
            // 3. an expired certificate, even when pinned
            assertThatThrownBy(() -> Alknet.client(tlsClient(expired, otherPin).build()))
                    .isInstanceOf(AlknetException.class).hasMessageContaining("not valid now").hasMessageContaining("expired");
            // 4. ALPN mismatch: a TLS server that is not alknet (it speaks only h2)
            try (javax.net.ssl.SSLServerSocket foreign = h2OnlyServer()) {
                Thread.ofVirtual().start(() -> {
                    while (!foreign.isClosed()) {
                        try (Socket accepted = foreign.accept()) {
                            ((javax.net.ssl.SSLSocket) accepted).startHandshake();
                        } catch (IOException expected) {
                            // the handshake fails: no common application protocol
                        }
                    }
                });
                assertThatThrownBy(() -> Alknet.client(BuiltIns.client(TransportAddress.parse("tls://127.0.0.1:" + foreign.getLocalPort(), 0))
                        .identity(fixture.clientKey).reconnect(ReconnectPolicy.NEVER).stateDirectory(dir.resolve("c3"))
                        .hostKeys(new io.alknet.api.interfaces.HostKeyVerification.AcceptAny())
                        .setting("transport.tls.fingerprint", pin).build()))
                        .isInstanceOf(AlknetException.class).hasMessageContaining("did not agree to ALPN 'alknet-ssh'");
            }
            // 5. a plain TCP client on the TLS port
            TransportAddress plainToTls = TransportAddress.parse("tcp://127.0.0.1:" + tlsAddress(server).port(), 0);
            assertThatThrownBy(() -> Alknet.client(BuiltIns.client(plainToTls).identity(fixture.clientKey)
                    .reconnect(ReconnectPolicy.NEVER).stateDirectory(dir.resolve("c5"))
                    .hostKeys(new io.alknet.api.interfaces.HostKeyVerification.AcceptAny()).build()))
                    .isInstanceOf(AlknetException.class).hasMessageContaining("needs tls://127.0.0.1:");
            // ... and a TLS client on a plain port
            try (AlknetServer plain = Alknet.server(fixture.server().stateDirectory(dir.resolve("state3")).build())) {
                TransportAddress wrong = TransportAddress.parse("tls://127.0.0.1:" + plain.listenAddresses().getFirst().port(), 0);
                assertThatThrownBy(() -> Alknet.client(BuiltIns.client(wrong).identity(fixture.clientKey)
                        .reconnect(ReconnectPolicy.NEVER).stateDirectory(dir.resolve("c4"))
                        .hostKeys(new io.alknet.api.interfaces.HostKeyVerification.AcceptAny())
                        .setting("transport.tls.fingerprint", pin).build()))
                        .isInstanceOf(AlknetException.class)
                        .satisfies(e -> assertThat(((AlknetException) e).code()).isEqualTo(io.alknet.api.ErrorCode.PROTOCOL_ERROR))
                        // the SSH banner arrives where a TLS record was expected, or the server hangs up first
                        .hasMessageMatching("(?s).*(does not speak TLS|closed the connection during the TLS handshake).*");
            }

            // 6. a web client on a plain (not stealth) tls:// port: refused in the handshake, never an SSH banner
            Process curl = new ProcessBuilder("curl", "-sS", "-k", "--max-time", "10", "https://127.0.0.1:" + tlsAddress(server).port() + "/")
                    .redirectErrorStream(true).start();
            String curlOutput = new String(curl.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(curl.waitFor()).as("curl: " + curlOutput).isEqualTo(35); // CURLE_SSL_CONNECT_ERROR
            assertThat(curlOutput).contains("no application protocol").doesNotContain("SSH-2.0");

            // the server still serves a good client
            try (AlknetClient good = Alknet.client(tlsClient(server, pin).build())) {
                assertThat(good.connected()).isTrue();
                assertThat(good.calls().call("/health/ping", java.util.Map.of()).toCompletableFuture().get(20, TimeUnit.SECONDS))
                        .isNotNull();
            }
        }
    }

    /** A JDK TLS server with the test certificate that offers only ALPN h2. */
    private javax.net.ssl.SSLServerSocket h2OnlyServer() throws Exception {
        String pem = Files.readString(key).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        java.security.PrivateKey privateKey = java.security.KeyFactory.getInstance("EC")
                .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(java.util.Base64.getDecoder().decode(pem)));
        java.security.cert.Certificate certificate;
        try (var in = Files.newInputStream(cert)) {
            certificate = java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", privateKey, new char[0], new java.security.cert.Certificate[] {certificate});
        javax.net.ssl.KeyManagerFactory keys = javax.net.ssl.KeyManagerFactory.getInstance(javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, new char[0]);
        javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLSv1.3");
        context.init(keys.getKeyManagers(), null, null);
        javax.net.ssl.SSLServerSocket server = (javax.net.ssl.SSLServerSocket) context.getServerSocketFactory()
                .createServerSocket(0, 16, java.net.InetAddress.getLoopbackAddress());
        javax.net.ssl.SSLParameters parameters = server.getSSLParameters();
        parameters.setApplicationProtocols(new String[] {"h2"});
        server.setSSLParameters(parameters);
        return server;
    }
}
