package io.alknet.kernel;

import io.alknet.api.AlknetException;
import io.alknet.api.transport.TransportAddress;
import io.alknet.ssh.OpenSshKeys;
import io.alknet.testkit.Loopback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code --proxy} on both sides (spec: transport chaining), through a real SOCKS5 proxy: OpenSSH's
 * {@code ssh -D}, whose verbose log shows every connection it carried.
 */
class ProxyTest {

    @TempDir
    Path dir;

    /** {@code ssh -D} through an alknet server: a SOCKS5 proxy on 127.0.0.1:port. */
    private OpenSsh.Running socksProxy(Fixture fixture, AlknetServer server, int port) throws Exception {
        OpenSsh.requireInstalled();
        int sshPort = server.listenAddresses().getFirst().port();
        Path knownHosts = OpenSsh.knownHosts(dir, sshPort, OpenSshKeys.publicKeyLine(fixture.host.getPublic(), "host"));
        List<String> ssh = OpenSsh.clientBase(fixture.clientKey, knownHosts, sshPort);
        ssh.addAll(List.of("-v", "-N", "-D", "127.0.0.1:" + port, "alice@127.0.0.1"));
        OpenSsh.Running running = OpenSsh.start(ssh, dir, "ssh-proxy");
        OpenSsh.awaitListening(port, running, Duration.ofSeconds(30));
        return running;
    }

    private static int proxied(OpenSsh.Running proxy) throws IOException {
        String log = proxy.stderr();
        int count = 0;
        for (int at = log.indexOf("forwarding to socks port"); at >= 0; at = log.indexOf("forwarding to socks port", at + 1)) {
            count++;
        }
        return count;
    }

    @Test
    void aClientReachesATlsServerThroughASocks5Proxy() throws Exception {
        Fixture fixture = new Fixture(dir);
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", key.toString(), "-out", cert.toString(), "-days", "2", "-subj", "/CN=localhost").redirectErrorStream(true).start();
        openssl.getInputStream().readAllBytes();
        assertThat(openssl.waitFor()).isZero();
        int proxyPort = Loopback.unusedPort();
        try (AlknetServer hop = Alknet.server(fixture.server().build());
             OpenSsh.Running proxy = socksProxy(fixture, hop, proxyPort);
             AlknetServer tls = Alknet.server(fixture.server().listen("tls://127.0.0.1:0").stateDirectory(dir.resolve("tls-state"))
                     .setting("transport.tls.cert", cert.toString()).setting("transport.tls.key", key.toString()).build())) {
            TransportAddress address = tls.listenAddresses().get(1);
            int before = proxied(proxy);
            try (AlknetClient client = Alknet.client(ClientOptions.builder(address)
                    .identity(fixture.clientKey).user("alice").stateDirectory(dir.resolve("client"))
                    .reconnect(ReconnectPolicy.NEVER)
                    .hostKeys(new io.alknet.api.iface.HostKeyVerification.Pinned(List.of(OpenSshKeys.fingerprint(fixture.host.getPublic()))))
                    .setting("transport.tls.fingerprint", tls.info().get("tls.certificate-fingerprint"))
                    .setting("transport.tls.proxy", "socks5://127.0.0.1:" + proxyPort)
                    .build())) {
                assertThat(client.calls().call("/health/ping", Map.of()).toCompletableFuture().get(20, TimeUnit.SECONDS)).isNotNull();
            }
            assertThat(proxied(proxy)).as("connections the proxy carried").isEqualTo(before + 1);

            // a proxy that is not there: a clear error, not a direct connection
            int nobody = Loopback.unusedPort();
            assertThatThrownBy(() -> Alknet.client(ClientOptions.builder(address)
                    .identity(fixture.clientKey).stateDirectory(dir.resolve("client2")).reconnect(ReconnectPolicy.NEVER)
                    .hostKeys(new io.alknet.api.iface.HostKeyVerification.AcceptAny())
                    .setting("transport.tls.fingerprint", tls.info().get("tls.certificate-fingerprint"))
                    .setting("transport.tls.proxy", "socks5://127.0.0.1:" + nobody).build()))
                    .isInstanceOf(AlknetException.class).hasMessageContaining("proxy");
        }
    }

    @Test
    void aServerDialsForwardTargetsThroughASocks5Proxy() throws Exception {
        Fixture fixture = new Fixture(dir);
        byte[] body = Loopback.randomBytes(100_000, 3);
        int proxyPort = Loopback.unusedPort();
        try (TestWeb web = new TestWeb(body);
             AlknetServer hop = Alknet.server(fixture.server().build());
             OpenSsh.Running proxy = socksProxy(fixture, hop, proxyPort);
             AlknetServer server = Alknet.server(fixture.server().stateDirectory(dir.resolve("proxied-state"))
                     .setting("transport.tcp.proxy", "socks5://127.0.0.1:" + proxyPort).build());
             AlknetClient client = Alknet.client(fixture.client(server)
                     .frontEnd(FrontEndSpec.localForward("0:127.0.0.1:" + web.port())).build())) {
            int before = proxied(proxy);
            InetSocketAddress local = (InetSocketAddress) client.frontEndAddresses().getFirst().getFirst();
            Process curl = new ProcessBuilder("curl", "-sS", "--fail", "--max-time", "30", "http://127.0.0.1:" + local.getPort() + "/")
                    .redirectErrorStream(true).start();
            byte[] fetched = curl.getInputStream().readAllBytes();
            assertThat(curl.waitFor()).as(new String(fetched, StandardCharsets.UTF_8)).isZero();
            assertThat(fetched).isEqualTo(body);
            assertThat(proxied(proxy)).as("the target was dialled through the proxy").isEqualTo(before + 1);
        }
    }
}
