package io.alknet.transport.tls.internal;

import io.alknet.api.plugin.Settings;
import io.alknet.api.stream.TransportStream;
import io.alknet.api.transport.Listener;
import io.alknet.api.transport.TransportAddress;
import io.alknet.testkit.TrustAllTls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.shredzone.acme4j.Identifier;
import org.shredzone.acme4j.util.CertificateUtils;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * TLS-ALPN-01 on real listeners (RFC 8737): with a challenge pending, only a ClientHello that offers ALPN
 * {@code acme-tls/1} alone for the challenged name gets the validation certificate, and its connection ends with the
 * handshake; everyone else (SSH, the decoy, other ALPN lists, other names) gets the listener's own certificate or, for
 * {@code acme-tls/1} alone, a fatal alert. The CA's side against a real Pebble is in the integration tests' AcmeTest.
 */
class TlsAlpnChallengeTest {

    private static final String NAME = "tunnel.test";
    private static final String ACME_IDENTIFIER_OID = "1.3.6.1.5.5.7.1.31";

    @TempDir
    static Path dir;

    private static Path cert;
    private static Path key;
    private static String ownFingerprint;

    private final TlsAlpnChallenges challenges = new TlsAlpnChallenges();
    private TlsTransport transport;
    private Listener listener;

    @BeforeAll
    static void certificate() throws Exception {
        cert = dir.resolve("cert.pem");
        key = dir.resolve("key.pem");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", key.toString(), "-out", cert.toString(), "-days", "2", "-subj", "/CN=" + NAME, "-addext", "subjectAltName=DNS:" + NAME)
                .redirectErrorStream(true).start();
        openssl.getInputStream().readAllBytes();
        assertThat(openssl.waitFor()).isZero();
        ownFingerprint = Fingerprints.of(TlsContexts.readCertificates(cert).getFirst());
    }

    @AfterEach
    void stop() {
        if (listener != null) {
            listener.close();
        }
        if (transport != null) {
            transport.close();
        }
    }

    private int listen(boolean stealth) {
        Map<String, String> values = new HashMap<>(Map.of("cert", cert.toString(), "key", key.toString()));
        values.put("stealth", Boolean.toString(stealth));
        transport = new TlsTransport(TlsSettings.from(Settings.of("transport.tls.", values)), dir.resolve("acme"), Optional::empty,
                Optional.of(challenges));
        transport.start();
        listener = transport.listen(TransportAddress.parse("tls://127.0.0.1:0", 0)).toCompletableFuture().join();
        return listener.address().port();
    }

    private byte[] pending() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA"); // acme4j signs with SHA256withRSA
        generator.initialize(2048);
        KeyPair validationKey = generator.generateKeyPair();
        byte[] validation = new byte[32];
        new java.security.SecureRandom().nextBytes(validation);
        X509Certificate certificate = CertificateUtils.createTlsAlpn01Certificate(validationKey, Identifier.dns(NAME), validation);
        challenges.add(NAME, certificate, validationKey.getPrivate());
        return validation;
    }

    @Test
    void theCaGetsTheValidationCertificateAndNothingElse() throws Exception {
        int port = listen(true);
        byte[] validation = pending();
        try (SSLSocket ca = client(port, NAME, List.of("acme-tls/1"))) {
            ca.startHandshake();
            assertThat(ca.getApplicationProtocol()).isEqualTo("acme-tls/1");
            X509Certificate served = (X509Certificate) ca.getSession().getPeerCertificates()[0];
            assertThat(served.getCriticalExtensionOIDs()).contains(ACME_IDENTIFIER_OID);
            // the extension's value is an OCTET STRING (DER) wrapping the acmeIdentifier OCTET STRING of 32 bytes
            byte[] extension = served.getExtensionValue(ACME_IDENTIFIER_OID);
            assertThat(java.util.Arrays.copyOfRange(extension, extension.length - 32, extension.length)).isEqualTo(validation);
            assertThat(served.getSubjectAlternativeNames()).hasSize(1).allMatch(name -> NAME.equals(name.get(1)));
            // the server ends the connection after the handshake: no SSH banner, no decoy
            assertThat(ca.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void noOtherAlpnReachesTheValidationCertificate() throws Exception {
        int port = listen(true);
        pending();
        for (List<String> protocols : List.of(List.of("acme-tls/1", "http/1.1"), List.of("http/1.1", "acme-tls/1"),
                List.of("alknet-ssh"), List.of("h2", "http/1.1"), List.<String>of())) {
            try (SSLSocket visitor = client(port, NAME, protocols)) {
                visitor.startHandshake();
                assertThat(Fingerprints.of((X509Certificate) visitor.getSession().getPeerCertificates()[0]))
                        .as("the certificate served to ALPN %s", protocols).isEqualTo(ownFingerprint);
            }
        }
        // acme-tls/1 alone, but for another name or for none: the CA never asks so
        for (String other : new String[] {"other.test", null}) {
            try (SSLSocket stranger = client(port, other, List.of("acme-tls/1"))) {
                assertThatThrownBy(stranger::startHandshake).as("acme-tls/1 for %s", other).isInstanceOf(SSLHandshakeException.class)
                        .hasMessageContaining("no_application_protocol");
            }
        }
    }

    @Test
    void acmeTls1WithoutAPendingChallengeFailsTheHandshake() throws Exception {
        int port = listen(true);
        pending();
        challenges.remove(NAME);
        try (SSLSocket late = client(port, NAME, List.of("acme-tls/1"))) {
            assertThatThrownBy(late::startHandshake).isInstanceOf(SSLHandshakeException.class).hasMessageContaining("no_application_protocol");
        }
    }

    @Test
    void sshTheDecoyAndPlainHttpAreUnaffectedWhileAChallengeIsPending() throws Exception {
        int port = listen(true);
        pending();
        try (SSLSocket browser = client(port, NAME, List.of("http/1.1"))) {
            browser.getOutputStream().write("GET / HTTP/1.1\r\nHost: tunnel.test\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(browser.getInputStream().readNBytes(22), StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 404 Not Found");
        }
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            plain.setSoTimeout(20_000);
            plain.getOutputStream().write("GET / HTTP/1.1\r\nHost: tunnel.test\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(plain.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                    .contains("The plain HTTP request was sent to HTTPS port");
        }
        try (SSLSocket ssh = client(port, NAME, List.of("alknet-ssh"))) {
            ssh.getOutputStream().write("SSH-2.0-test\r\n".getBytes(StandardCharsets.US_ASCII));
            TransportStream stream = listener.accept().toCompletableFuture().get(20, TimeUnit.SECONDS);
            stream.abort();
        }
    }

    @Test
    void aPlainTlsListenerAnswersTheChallengeToo() throws Exception {
        int port = listen(false);
        pending();
        try (SSLSocket ca = client(port, NAME, List.of("acme-tls/1"))) {
            ca.startHandshake();
            assertThat(ca.getApplicationProtocol()).isEqualTo("acme-tls/1");
            assertThat(((X509Certificate) ca.getSession().getPeerCertificates()[0]).getCriticalExtensionOIDs()).contains(ACME_IDENTIFIER_OID);
        }
        try (SSLSocket ssh = client(port, NAME, List.of("alknet-ssh"))) {
            ssh.startHandshake();
            assertThat(ssh.getApplicationProtocol()).isEqualTo("alknet-ssh");
            assertThat(Fingerprints.of((X509Certificate) ssh.getSession().getPeerCertificates()[0])).isEqualTo(ownFingerprint);
            TransportStream stream = listener.accept().toCompletableFuture().get(20, TimeUnit.SECONDS);
            stream.abort();
        }
    }

    @Test
    void aClientHelloInPiecesIsReadWhole() throws Exception {
        // a plain listener, whose own handshake refuses acme-tls/1: a ServerHello comes only from the validation route
        int port = listen(false);
        pending();
        // a ClientHello larger than one segment (post-quantum key shares) arrives in pieces: the verdict waits for all
        assertThat(firstRecordTypeAfterSplitClientHello(port)).as("a ServerHello").isEqualTo(22);
        challenges.remove(NAME);
        assertThat(firstRecordTypeAfterSplitClientHello(port)).as("an alert").isEqualTo(21);
    }

    /** Sends an acme-tls/1 ClientHello for {@link #NAME} in two writes and returns the type of the first record back. */
    private static int firstRecordTypeAfterSplitClientHello(int port) throws Exception {
        javax.net.ssl.SSLEngine engine = TrustAllTls.context().createSSLEngine(NAME, port);
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setServerNames(List.of(new SNIHostName(NAME)));
        parameters.setApplicationProtocols(new String[] {"acme-tls/1"});
        engine.setSSLParameters(parameters);
        java.nio.ByteBuffer hello = java.nio.ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.beginHandshake();
        engine.wrap(java.nio.ByteBuffer.allocate(0), hello);
        hello.flip();
        byte[] bytes = new byte[hello.remaining()];
        hello.get(bytes);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(20_000);
            socket.setTcpNoDelay(true);
            socket.getOutputStream().write(bytes, 0, 40);
            socket.getOutputStream().flush();
            Thread.sleep(200); // so the first piece is read on its own
            socket.getOutputStream().write(bytes, 40, bytes.length - 40);
            return socket.getInputStream().read();
        }
    }

    /** A client that trusts any certificate (the test looks at which one it got), with this SNI name and ALPN list. */
    private static SSLSocket client(int port, String serverName, List<String> protocols) throws Exception {
        SSLSocket socket = (SSLSocket) TrustAllTls.context().getSocketFactory().createSocket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(20_000);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setServerNames(serverName == null ? List.of() : List.of(new SNIHostName(serverName)));
        parameters.setApplicationProtocols(protocols.toArray(String[]::new));
        socket.setSSLParameters(parameters);
        return socket;
    }
}
