package io.alknet.integration;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.api.interfaces.HostKeyVerification;
import io.alknet.api.stream.TransportStream;
import io.alknet.api.transport.TransportAddress;
import io.alknet.defaults.BuiltIns;
import io.alknet.interfaces.ssh.OpenSshKeys;
import io.alknet.kernel.Alknet;
import io.alknet.kernel.AlknetClient;
import io.alknet.kernel.AlknetServer;
import io.alknet.kernel.ClientOptions;
import io.alknet.kernel.FrontEndSpec;
import io.alknet.testkit.Loopback;
import io.alknet.testkit.Socks5Client;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** alknet against the real OpenSSH client and server. */
class OpenSshInteropTest {

    private static final String CHACHA = "chacha20-poly1305@openssh.com";

    @TempDir
    Path dir;

    private Fixture fixture;

    @BeforeAll
    static void openSshIsInstalled() {
        OpenSsh.requireInstalled();
    }

    @BeforeEach
    void keys() throws Exception {
        fixture = new Fixture(dir);
    }

    @Test
    void openSshClientForwardsThroughAlknetServer() throws Exception {
        byte[] page = Loopback.randomBytes(200_000, 7);
        try (Loopback.EchoServer echo = new Loopback.EchoServer();
             TestWeb web = new TestWeb(page);
             AlknetServer server = Alknet.server(fixture.server().build())) {
            int port = server.listenAddresses().getFirst().port();
            Path knownHosts = OpenSsh.knownHosts(dir, port, OpenSshKeys.publicKeyLine(fixture.host.getPublic(), ""));
            int localPort = Loopback.unusedPort();
            int socksPort = Loopback.unusedPort();
            List<String> command = OpenSsh.clientBase(fixture.clientKey, knownHosts, port);
            command.addAll(List.of("-N", "-o", "ExitOnForwardFailure=yes",
                    "-L", localPort + ":127.0.0.1:" + echo.port(), "-D", Integer.toString(socksPort), "alice@127.0.0.1"));
            try (OpenSsh.Running ssh = OpenSsh.start(command, dir, "ssh")) {
                OpenSsh.awaitListening(localPort, ssh, Duration.ofSeconds(20));
                OpenSsh.awaitListening(socksPort, ssh, Duration.ofSeconds(20));

                byte[] payload = Loopback.randomBytes(1_500_000, 11);
                assertThat(Loopback.roundTrip(localPort, payload)).isEqualTo(payload);

                Path downloaded = dir.resolve("downloaded");
                Process curl = new ProcessBuilder("curl", "-sS", "--fail", "--max-time", "20",
                        "--socks5-hostname", "127.0.0.1:" + socksPort, "-o", downloaded.toString(),
                        "http://localhost:" + web.port() + "/").redirectErrorStream(true).start();
                String curlOutput = new String(curl.getInputStream().readAllBytes());
                assertThat(curl.waitFor()).as("curl: " + curlOutput).isZero();
                assertThat(Files.readAllBytes(downloaded)).isEqualTo(page);
            }
        }
    }

    @Test
    void unauthorizedKeyIsRefused() throws Exception {
        Path strangerKey = dir.resolve("stranger");
        OpenSshKeys.generate(strangerKey, "stranger");
        try (AlknetServer server = Alknet.server(fixture.server().build())) {
            int port = server.listenAddresses().getFirst().port();
            Path knownHosts = OpenSsh.knownHosts(dir, port, OpenSshKeys.publicKeyLine(fixture.host.getPublic(), ""));
            LogCapture.clear();
            List<String> command = OpenSsh.clientBase(strangerKey, knownHosts, port);
            command.addAll(List.of("-N", "-o", "ExitOnForwardFailure=yes", "-L", Loopback.unusedPort() + ":127.0.0.1:9", "eve@127.0.0.1"));
            Process ssh = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(ssh.getInputStream().readAllBytes());
            assertThat(ssh.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(ssh.exitValue()).isNotZero();
            assertThat(output).contains("Permission denied (publickey)");
            // a key that was only offered counts once the connection ended without logging in
            assertThat(LogCapture.awaitMatching("auth.failure", "user=eve")).anySatisfy(line ->
                    assertThat(line).contains("remote_addr=127.0.0.1").contains("user=eve").contains("reason=unknown_key"));
            assertThat(LogCapture.matching("auth.success")).isEmpty();
        }
    }

    @Test
    void alknetClientForwardsThroughOpenSshServer() throws Exception {
        Path sshdHostKey = dir.resolve("sshd_host_key");
        KeyPair sshdHost = OpenSshKeys.generate(sshdHostKey, "sshd");
        int port = Loopback.unusedPort();
        Path knownHosts = OpenSsh.knownHosts(dir, port, OpenSshKeys.publicKeyLine(sshdHost.getPublic(), ""));
        try (Loopback.EchoServer echo = new Loopback.EchoServer();
             OpenSsh.Running sshd = OpenSsh.sshd(dir, port, sshdHostKey, fixture.authorizedKeys);
             AlknetClient client = Alknet.client(BuiltIns.client(TransportAddress.of("tcp", "127.0.0.1", port))
                     .identity(fixture.clientKey)
                     .user(System.getProperty("user.name"))
                     .hostKeys(new HostKeyVerification.KnownHosts(knownHosts))
                     .stateDirectory(dir.resolve("client-state"))
                     .frontEnd(BuiltIns.localForward("0:127.0.0.1:" + echo.port()))
                     .build())) {
            int localPort = ((java.net.InetSocketAddress) client.frontEndAddresses().getFirst().getFirst()).getPort();
            byte[] payload = Loopback.randomBytes(2_000_000, 3);
            assertThat(Loopback.roundTrip(localPort, payload)).isEqualTo(payload);
        }
    }

    /**
     * OpenSSH has no UDP relay and refuses alknet's channel type with "open failed" (not UNKNOWN_CHANNEL_TYPE): the
     * application's UDP ASSOCIATE gets 0x07 command not supported, as docs/udp-over-ssh.md says, and TCP still works.
     */
    @Test
    void udpAssociateThroughAnOpenSshServerIsCommandNotSupported() throws Exception {
        Path sshdHostKey = dir.resolve("sshd_host_key");
        KeyPair sshdHost = OpenSshKeys.generate(sshdHostKey, "sshd");
        int port = Loopback.unusedPort();
        Path knownHosts = OpenSsh.knownHosts(dir, port, OpenSshKeys.publicKeyLine(sshdHost.getPublic(), ""));
        try (Loopback.EchoServer echo = new Loopback.EchoServer();
             OpenSsh.Running sshd = OpenSsh.sshd(dir, port, sshdHostKey, fixture.authorizedKeys);
             AlknetClient client = Alknet.client(BuiltIns.client(TransportAddress.of("tcp", "127.0.0.1", port))
                     .identity(fixture.clientKey)
                     .user(System.getProperty("user.name"))
                     .hostKeys(new HostKeyVerification.KnownHosts(knownHosts))
                     .stateDirectory(dir.resolve("client-state"))
                     .frontEnd(BuiltIns.socks5("127.0.0.1:0"))
                     .build())) {
            int socksPort = ((java.net.InetSocketAddress) client.frontEndAddresses().getFirst().getFirst()).getPort();
            try (Socket control = new Socket(InetAddress.getLoopbackAddress(), socksPort)) {
                control.setSoTimeout(10_000);
                assertThatThrownBy(() -> Socks5Client.udpAssociate(control)).hasMessage("SOCKS5 reply 7");
            }
            try (Socket tcp = Socks5Client.connect(socksPort, "127.0.0.1", echo.port())) {
                tcp.getOutputStream().write("still up".getBytes());
                assertThat(tcp.getInputStream().readNBytes(8)).isEqualTo("still up".getBytes());
            }
        }
    }

    /**
     * chacha20-poly1305@openssh.com is alknet's own cipher (the JDK's ChaCha20 and alknet's Poly1305): OpenSSH's client,
     * allowed no other cipher, moves 4 MB both ways through an alknet server and says which cipher it negotiated.
     */
    @Test
    void openSshClientWithChaCha20Poly1305ForwardsThroughAlknetServer() throws Exception {
        try (Loopback.EchoServer echo = new Loopback.EchoServer();
             AlknetServer server = Alknet.server(fixture.server().build())) {
            int port = server.listenAddresses().getFirst().port();
            Path knownHosts = OpenSsh.knownHosts(dir, port, OpenSshKeys.publicKeyLine(fixture.host.getPublic(), ""));
            int localPort = Loopback.unusedPort();
            List<String> command = OpenSsh.clientBase(fixture.clientKey, knownHosts, port);
            command.addAll(List.of("-v", "-c", CHACHA, "-N", "-o", "ExitOnForwardFailure=yes",
                    "-L", localPort + ":127.0.0.1:" + echo.port(), "alice@127.0.0.1"));
            try (OpenSsh.Running ssh = OpenSsh.start(command, dir, "ssh")) {
                OpenSsh.awaitListening(localPort, ssh, Duration.ofSeconds(20));
                byte[] payload = Loopback.randomBytes(4_000_000, 13);
                assertThat(Loopback.roundTrip(localPort, payload)).isEqualTo(payload);
                assertThat(Files.readString(ssh.stderr)).contains("server->client cipher: " + CHACHA).contains("client->server cipher: " + CHACHA);
            }
        }
    }

    /** The other way: alknet's client, with chacha20-poly1305 only, through an OpenSSH server that allows only it. */
    @Test
    void alknetClientWithChaCha20Poly1305ForwardsThroughOpenSshServer() throws Exception {
        Path sshdHostKey = dir.resolve("sshd_host_key");
        KeyPair sshdHost = OpenSshKeys.generate(sshdHostKey, "sshd");
        int port = Loopback.unusedPort();
        Path knownHosts = OpenSsh.knownHosts(dir, port, OpenSshKeys.publicKeyLine(sshdHost.getPublic(), ""));
        try (Loopback.EchoServer echo = new Loopback.EchoServer();
             OpenSsh.Running sshd = OpenSsh.sshd(dir, port, sshdHostKey, fixture.authorizedKeys, List.of("Ciphers " + CHACHA));
             AlknetClient client = Alknet.client(BuiltIns.client(TransportAddress.of("tcp", "127.0.0.1", port))
                     .identity(fixture.clientKey)
                     .user(System.getProperty("user.name"))
                     .hostKeys(new HostKeyVerification.KnownHosts(knownHosts))
                     .stateDirectory(dir.resolve("client-state"))
                     .setting("interface.ssh.ciphers", CHACHA)
                     .frontEnd(BuiltIns.localForward("0:127.0.0.1:" + echo.port()))
                     .build())) {
            int localPort = ((java.net.InetSocketAddress) client.frontEndAddresses().getFirst().getFirst()).getPort();
            byte[] payload = Loopback.randomBytes(4_000_000, 17);
            assertThat(Loopback.roundTrip(localPort, payload)).isEqualTo(payload);
        }
    }

    @Test
    void alknetClientRefusesAnOpenSshServerWithAnUnpinnedKey() throws Exception {
        Path sshdHostKey = dir.resolve("sshd_host_key");
        OpenSshKeys.generate(sshdHostKey, "sshd");
        int port = Loopback.unusedPort();
        try (OpenSsh.Running sshd = OpenSsh.sshd(dir, port, sshdHostKey, fixture.authorizedKeys)) {
            ClientOptions options = BuiltIns.client(TransportAddress.of("tcp", "127.0.0.1", port))
                    .identity(fixture.clientKey)
                    .user(System.getProperty("user.name"))
                    .hostKeys(new HostKeyVerification.Pinned(List.of(OpenSshKeys.fingerprint(fixture.host.getPublic()))))
                    .stateDirectory(dir.resolve("client-state"))
                    .build();
            assertThatThrownBy(() -> Alknet.client(options))
                    .isInstanceOf(AlknetException.class)
                    .satisfies(e -> assertThat(((AlknetException) e).code()).isEqualTo(ErrorCode.HOST_KEY_REJECTED))
                    .hasMessageContaining("--host-key-fingerprint");
        }
    }

    @Test
    void deniedForwardIsAdministrativelyProhibitedAndTheSessionStaysUp() throws Exception {
        try (Loopback.EchoServer denied = new Loopback.EchoServer();
             Loopback.EchoServer allowed = new Loopback.EchoServer()) {
            Path policy = dir.resolve("policy.rules");
            Files.writeString(policy, "deny localhost:" + denied.port() + " name=no-secrets\nallow *\n");
            try (AlknetServer server = Alknet.server(fixture.server().setting(BuiltIns.POLICY_FILE, policy).build())) {
                int port = server.listenAddresses().getFirst().port();
                Path knownHosts = OpenSsh.knownHosts(dir, port, OpenSshKeys.publicKeyLine(fixture.host.getPublic(), ""));
                int deniedLocal = Loopback.unusedPort();
                int allowedLocal = Loopback.unusedPort();
                List<String> command = OpenSsh.clientBase(fixture.clientKey, knownHosts, port);
                command.addAll(List.of("-N", "-L", deniedLocal + ":localhost:" + denied.port(),
                        "-L", allowedLocal + ":127.0.0.1:" + allowed.port(), "alice@127.0.0.1"));
                LogCapture.clear();
                try (OpenSsh.Running ssh = OpenSsh.start(command, dir, "ssh-denied")) {
                    OpenSsh.awaitListening(deniedLocal, ssh, Duration.ofSeconds(20));
                    OpenSsh.awaitListening(allowedLocal, ssh, Duration.ofSeconds(20));
                    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), deniedLocal)) {
                        socket.setSoTimeout(10_000);
                        assertThat(socket.getInputStream().read()).isEqualTo(-1);
                    }
                    awaitContains(ssh, "administratively prohibited");
                    // once, with the reason; the rule's name is for the server's log only
                    assertThat(ssh.stderr()).contains("open failed: administratively prohibited: denied by rule")
                            .doesNotContain("administratively prohibited: administratively prohibited").doesNotContain("no-secrets");
                    byte[] payload = Loopback.randomBytes(100_000, 5);
                    assertThat(Loopback.roundTrip(allowedLocal, payload)).as("the session survives the denial").isEqualTo(payload);
                    assertThat(ssh.process.isAlive()).isTrue();
                }
            }
            // one denial per connection to the forward (awaitListening's probe is one too)
            assertThat(LogCapture.matching("forward.denied")).isNotEmpty().allSatisfy(line ->
                    assertThat(line).contains("identity=alice(" + OpenSshKeys.fingerprint(fixture.client.getPublic()) + ")")
                            .contains("rule=\"no-secrets\""));
            List<String> leaks = new ArrayList<>();
            for (String line : LogCapture.lines()) {
                if (line.contains(Integer.toString(denied.port())) || line.contains("localhost")) {
                    leaks.add(line);
                }
            }
            assertThat(leaks).as("log lines naming the destination").isEmpty();
        }
    }

    @Test
    void alknetClientReportsTheServersRefusal() throws Exception {
        Path policy = dir.resolve("policy.rules");
        Files.writeString(policy, "default deny\n");
        try (AlknetServer server = Alknet.server(fixture.server().setting(BuiltIns.POLICY_FILE, policy).build());
             AlknetClient client = Alknet.client(fixture.client(server).build())) {
            assertThatThrownBy(() -> client.tunnel().openChannel("127.0.0.1", 9).toCompletableFuture().join())
                    .isInstanceOf(CompletionException.class)
                    .cause().isInstanceOf(AlknetException.class)
                    .hasMessageContaining("administratively prohibited")
                    .satisfies(e -> assertThat(((AlknetException) e).code()).isEqualTo(ErrorCode.FORWARD_DENIED));
            assertThat(client.connected()).isTrue();
        }
    }

    @Test
    void unreachableTargetIsAChannelOpenFailureAndOtherChannelsWork() throws Exception {
        try (Loopback.EchoServer echo = new Loopback.EchoServer();
             AlknetServer server = Alknet.server(fixture.server().build());
             AlknetClient client = Alknet.client(fixture.client(server).build())) {
            int closed = Loopback.unusedPort();
            assertThatThrownBy(() -> client.tunnel().openChannel("127.0.0.1", closed).toCompletableFuture().join())
                    .cause().isInstanceOf(AlknetException.class)
                    .satisfies(e -> assertThat(((AlknetException) e).code()).isEqualTo(ErrorCode.TARGET_REFUSED));
            assertThatThrownBy(() -> client.tunnel().openChannel("no-such-host.invalid", 80).toCompletableFuture().join())
                    .cause().satisfies(e -> assertThat(((AlknetException) e).code()).isEqualTo(ErrorCode.TARGET_UNRESOLVED));
            TransportStream channel = client.tunnel().openChannel("127.0.0.1", echo.port()).toCompletableFuture().join();
            assertThat(channel.isOpen()).isTrue();
            channel.close();
        }
    }

    private static void awaitContains(OpenSsh.Running running, String text) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (running.stderr().contains(text)) {
                return;
            }
            Thread.sleep(50);
        }
        assertThat(running.stderr()).contains(text);
    }
}
