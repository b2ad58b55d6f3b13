package io.alknet.transport.tls.internal;

import io.alknet.api.plugin.Settings;
import io.alknet.api.transport.Listener;
import io.alknet.api.transport.Transport;
import io.alknet.api.transport.TransportAddress;
import io.alknet.testkit.contract.TestPluginContext;
import io.alknet.testkit.TrustAllTls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLSocket;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that pipelines requests and reads none of the answers (review of issue 19): the stealth port, like
 * nginx, answers one request at a time and stops reading while an answer cannot go out, so the client's writes
 * block after the socket buffers fill instead of the server queueing answers without bound.
 */
class StealthBackPressureTest {

    @TempDir
    static Path dir;

    @Test
    void aClientThatNeverReadsCannotMakeTheDecoyQueueAnswers() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", key.toString(), "-out", cert.toString(), "-days", "2", "-subj", "/CN=localhost")
                .redirectErrorStream(true).start();
        openssl.getInputStream().readAllBytes();
        assertThat(openssl.waitFor()).isZero();
        Transport server = new TlsTransportFactory().create(Settings.of("transport.tls.",
                Map.of("cert", cert.toString(), "key", key.toString(), "stealth", "true")), TestPluginContext.in(dir));
        server.start();
        Listener listener = server.listen(TransportAddress.parse("tls://127.0.0.1:0", 0)).toCompletableFuture().get();
        SSLSocket socket = (SSLSocket) TrustAllTls.context().getSocketFactory().createSocket();
        socket.setReceiveBufferSize(16 * 1024);
        socket.setSendBufferSize(64 * 1024);
        socket.connect(new InetSocketAddress("127.0.0.1", listener.address().port()));
        socket.startHandshake();
        byte[] requests = "GET / HTTP/1.1\r\nHost: a\r\n\r\n".repeat(4000).getBytes(StandardCharsets.US_ASCII);
        AtomicLong sent = new AtomicLong();
        Thread writer = Thread.ofPlatform().daemon().start(() -> {
            try {
                OutputStream out = socket.getOutputStream();
                for (int i = 0; i < 300; i++) { // 300 x 4000 requests, 30 MB of requests; never reads an answer
                    out.write(requests);
                    sent.addAndGet(requests.length);
                }
            } catch (Exception e) {
                System.out.println("writer ended: " + e);
            }
        });
        // until the writer is stuck (what it sent stopped growing for 2 s), or it got past any socket buffer
        long last = -1;
        for (int i = 0; i < 100 && sent.get() != last && sent.get() < (16L << 20); i++) {
            last = sent.get();
            writer.join(2_000);
        }
        System.out.printf("a client that reads nothing got %d bytes of requests in%n", sent.get());
        // nginx stops reading once it cannot send: the client's writes block once the socket buffers are full
        assertThat(sent.get()).as("request bytes the server took in while the client read nothing").isLessThan(8L << 20);
        socket.close();
        listener.close();
        server.close();
    }
}
