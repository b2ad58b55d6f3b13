package io.alknet.transport.tls.internal;

import io.alknet.api.plugin.Settings;
import io.alknet.api.transport.Transport;
import io.alknet.api.transport.TransportAddress;
import io.alknet.testkit.contract.TestPluginContext;
import io.alknet.testkit.contract.TransportContract;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The tls transport against the transport contract: a certificate made by openssl, the client pinning it. */
class TlsTransportContractTest extends TransportContract {

    @TempDir
    static Path dir;

    private static Path cert;
    private static Path key;

    @BeforeAll
    static void certificate() throws Exception {
        cert = dir.resolve("cert.pem");
        key = dir.resolve("key.pem");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", key.toString(), "-out", cert.toString(), "-days", "2", "-subj", "/CN=localhost")
                .redirectErrorStream(true).start();
        openssl.getInputStream().readAllBytes();
        assertThat(openssl.waitFor()).isZero();
    }

    @Override
    protected Transport newServerTransport() {
        return started(Map.of("cert", cert.toString(), "key", key.toString()));
    }

    @Override
    protected Transport newClientTransport() {
        return started(Map.of("fingerprint", Fingerprints.of(TlsContexts.readCertificates(cert).getFirst())));
    }

    private static Transport started(Map<String, String> settings) {
        Transport transport = new TlsTransportFactory().create(Settings.of("transport.tls.", settings), TestPluginContext.in(dir));
        transport.start();
        return transport;
    }

    @Override
    protected TransportAddress listenAddress() {
        return TransportAddress.parse("tls://127.0.0.1:0", 0);
    }
}
