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
             AlknetServer tls = Alknet.server(fixture.server().listen(BuiltIns.ssh("tls://127.0.0.1:0")).stateDirectory(dir.resolve("tls-state"))
                     .setting("transport.tls.cert", cert.toString()).setting("transport.tls.key", key.toString()).build())) {
            TransportAddress address = tls.listenAddresses().get(1);
            int before = proxied(proxy);
            try (AlknetClient client = Alknet.client(BuiltIns.client(address)
                    .identity(fixture.clientKey).user("alice").stateDirectory(dir.resolve("client"))
                    .reconnect(ReconnectPolicy.NEVER)
                    .hostKeys(new io.alknet.api.interfaces.HostKeyVerification.Pinned(List.of(OpenSshKeys.fingerprint(fixture.host.getPublic()))))
                    .setting("transport.tls.fingerprint", tls.info().get("tls.certificate-fingerprint"))
                    .setting("transport.tls.proxy", "socks5://127.0.0.1:" + proxyPort)
                    .build())) {
                assertThat(client.calls().call("/health/ping", Map.of()).toCompletableFuture().get(20, TimeUnit.SECONDS)).isNotNull();
            }
            assertThat(proxied(proxy)).as("connections the proxy carried").isEqualTo(before + 1);

            // a proxy that is not there: a clear error, not a direct connection
            int nobody = Loopback.unusedPort();
            assertThatThrownBy(() -> Alknet.client(BuiltIns.client(address)
                    .identity(fixture.clientKey).stateDirectory(dir.resolve("client2")).reconnect(ReconnectPolicy.NEVER)
                    .hostKeys(new io.alknet.api.interfaces.HostKeyVerification.AcceptAny())
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
                     .frontEnd(BuiltIns.localForward("0:127.0.0.1:" + web.port())).build())) {
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

    /**
     * Spec decision 7: with a server-side SOCKS5 proxy, a target's name goes to the proxy unresolved (no DNS
     * query for it leaves the server), and the policy still decides on the name: host rules apply, and a
     * CIDR deny rule, which cannot see where the name leads, denies it rather than let it slip past.
     */
    @Test
    void aServerHandsTargetNamesToItsSocks5ProxyUnresolvedAndStillAppliesThePolicy() throws Exception {
        Fixture fixture = new Fixture(dir);
        byte[] body = Loopback.randomBytes(100_000, 4);
        Path policy = dir.resolve("policy.rules");
        java.nio.file.Files.writeString(policy, """
                deny secret.proxy-only.invalid:* name=no-secret
                deny 10.0.0.0/8:5432 name=no-internal-db
                allow *
                """);
        try (TestWeb web = new TestWeb(body);
             RecordingSocks5Proxy proxy = new RecordingSocks5Proxy(Map.of("web.proxy-only.invalid", web.port(),
                     "secret.proxy-only.invalid", web.port(), "db.proxy-only.invalid", web.port()));
             AlknetServer server = Alknet.server(fixture.server().setting(BuiltIns.POLICY_FILE, policy)
                     .setting("transport.tcp.proxy", "socks5://127.0.0.1:" + proxy.port()).build());
             AlknetClient client = Alknet.client(fixture.client(server)
                     .frontEnd(BuiltIns.localForward("0:web.proxy-only.invalid:80")).build())) {
            InetSocketAddress local = (InetSocketAddress) client.frontEndAddresses().getFirst().getFirst();
            Process curl = new ProcessBuilder("curl", "-sS", "--fail", "--max-time", "30", "http://127.0.0.1:" + local.getPort() + "/")
                    .redirectErrorStream(true).start();
            byte[] fetched = curl.getInputStream().readAllBytes();
            assertThat(curl.waitFor()).as(new String(fetched, StandardCharsets.UTF_8)).isZero();
            assertThat(fetched).isEqualTo(body);
            assertThat(proxy.requests()).as("what the proxy was asked")
                    .containsExactly(new RecordingSocks5Proxy.Request(3, "web.proxy-only.invalid", 80));

            assertThatThrownBy(() -> client.tunnel().openChannel("secret.proxy-only.invalid", 80).toCompletableFuture().join())
                    .hasMessageContaining("administratively prohibited: denied by rule").hasMessageNotContaining("no-secret");
            assertThatThrownBy(() -> client.tunnel().openChannel("db.proxy-only.invalid", 5432).toCompletableFuture().join())
                    .hasMessageContaining("administratively prohibited: denied by rule: a CIDR rule cannot see where a host name leads")
                    .hasMessageNotContaining("no-internal-db");
            assertThatThrownBy(() -> client.tunnel().openChannel("10.1.2.3", 5432).toCompletableFuture().join())
                    .hasMessageContaining("administratively prohibited: denied by rule").hasMessageNotContaining("no-internal-db");
            assertThat(proxy.requests()).as("denied targets never reach the proxy").hasSize(1);

            // an address literal goes to the proxy as an address
            io.alknet.api.stream.TransportStream viaLiteral = client.tunnel().openChannel("127.0.0.1", 80).toCompletableFuture()
                    .handle((stream, error) -> stream).join();
            assertThat(proxy.requests()).last().isEqualTo(new RecordingSocks5Proxy.Request(1, "127.0.0.1", 80));
            if (viaLiteral != null) {
                viaLiteral.close();
            }
        }
    }

    /** The proxy carries TCP only: UDP is not relayed around it (the datagram, and a name's lookup, would leave from here). */
    @Test
    void aServerWithAProxyRelaysNoUdp() throws Exception {
        Fixture fixture = new Fixture(dir);
        try (Loopback.UdpEchoServer udpEcho = new Loopback.UdpEchoServer();
             RecordingSocks5Proxy proxy = new RecordingSocks5Proxy(Map.of());
             AlknetServer server = Alknet.server(fixture.server()
                     .setting("transport.tcp.proxy", "socks5://127.0.0.1:" + proxy.port()).build());
             AlknetClient client = Alknet.client(fixture.client(server).frontEnd(BuiltIns.socks5("127.0.0.1:0")).build());
             java.net.Socket control = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(),
                     ((InetSocketAddress) client.frontEndAddresses().getFirst().getFirst()).getPort());
             java.net.DatagramSocket app = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            control.setSoTimeout(10_000);
            InetSocketAddress relay = io.alknet.testkit.Socks5Client.udpAssociate(control);
            LogCapture.clear();
            byte[] datagram = io.alknet.testkit.Socks5Client.udpDatagram(java.net.InetAddress.getLoopbackAddress(), udpEcho.port(),
                    "over udp".getBytes(StandardCharsets.US_ASCII), 0);
            app.send(new java.net.DatagramPacket(datagram, datagram.length, relay));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (LogCapture.matching("rule=\"proxy\"").isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(LogCapture.matching("forward.denied")).anySatisfy(line -> assertThat(line).contains("rule=\"proxy\""));
            app.setSoTimeout(500);
            assertThatThrownBy(() -> app.receive(new java.net.DatagramPacket(new byte[100], 100)))
                    .isInstanceOf(java.net.SocketTimeoutException.class);
        }
    }
}
