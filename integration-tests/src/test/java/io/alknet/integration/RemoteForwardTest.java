package io.alknet.integration;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.api.interfaces.HostKeyVerification;
import io.alknet.api.transport.TransportAddress;
import io.alknet.defaults.BuiltIns;
import io.alknet.interfaces.ssh.OpenSshKeys;
import io.alknet.kernel.Alknet;
import io.alknet.kernel.AlknetClient;
import io.alknet.kernel.AlknetServer;
import io.alknet.kernel.ClientOptions;
import io.alknet.kernel.FrontEndSpec;
import io.alknet.testkit.Loopback;
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
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code -R}: alknet against alknet, against OpenSSH's sshd, and OpenSSH's ssh against alknet. */
class RemoteForwardTest {

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
    void alknetClientRemoteForwardThroughAlknetServer() throws Exception {
        int remotePort = Loopback.unusedPort();
        try (Loopback.EchoServer echo = new Loopback.EchoServer();
             AlknetServer server = Alknet.server(fixture.server().build());
             AlknetClient client = Alknet.client(fixture.client(server)
                     .frontEnd(BuiltIns.remoteForward(remotePort + ":127.0.0.1:" + echo.port())).build())) {
            byte[] payload = Loopback.randomBytes(1_000_000, 4);
            assertThat(Loopback.roundTrip(remotePort, payload)).isEqualTo(payload);
            assertThat(client.connected()).isTrue();
        }
    }

    @Test
    void aDeniedRemoteForwardIsFatalAtStartupWithTheServersReason() throws Exception {
        Path policy = dir.resolve("policy.rules");
        Files.writeString(policy, "deny *:* direction=remote name=no-listeners\nallow *\n");
        int remotePort = Loopback.unusedPort();
        try (AlknetServer server = Alknet.server(fixture.server().setting(BuiltIns.POLICY_FILE, policy).build())) {
            ClientOptions options = fixture.client(server).frontEnd(BuiltIns.remoteForward(remotePort + ":127.0.0.1:9")).build();
            assertThatThrownBy(() -> Alknet.client(options))
                    .isInstanceOf(AlknetException.class)
                    .satisfies(e -> assertThat(((AlknetException) e).code()).isEqualTo(ErrorCode.FORWARD_DENIED))
                    .hasMessageContaining("the server refused to listen on localhost:" + remotePort)
                    .hasMessageContaining("administratively prohibited: denied by rule");
            assertThat(LogCapture.matching("forward.denied")).anySatisfy(line ->
                    assertThat(line).contains("direction=remote").contains("rule=\"no-listeners\""));
        }
    }

    @Test
    void alknetClientRemoteForwardThroughOpenSshServer() throws Exception {
        Path sshdHostKey = dir.resolve("sshd_host_key");
        KeyPair sshdHost = OpenSshKeys.generate(sshdHostKey, "sshd");
        int port = Loopback.unusedPort();
        int remotePort = Loopback.unusedPort();
        Path knownHosts = OpenSsh.knownHosts(dir, port, OpenSshKeys.publicKeyLine(sshdHost.getPublic(), ""));
        try (Loopback.EchoServer echo = new Loopback.EchoServer();
             OpenSsh.Running sshd = OpenSsh.sshd(dir, port, sshdHostKey, fixture.authorizedKeys);
             AlknetClient client = Alknet.client(BuiltIns.client(TransportAddress.of("tcp", "127.0.0.1", port))
                     .identity(fixture.clientKey)
                     .user(System.getProperty("user.name"))
                     .hostKeys(new HostKeyVerification.KnownHosts(knownHosts))
                     .stateDirectory(dir.resolve("client-state"))
                     .frontEnd(BuiltIns.remoteForward(remotePort + ":127.0.0.1:" + echo.port()))
                     .build())) {
            byte[] payload = Loopback.randomBytes(800_000, 8);
            assertThat(Loopback.roundTrip(remotePort, payload)).isEqualTo(payload);
        }
    }

    @Test
    void openSshClientRemoteForwardThroughAlknetServer() throws Exception {
        int remotePort = Loopback.unusedPort();
        try (Loopback.EchoServer echo = new Loopback.EchoServer();
             AlknetServer server = Alknet.server(fixture.server().build())) {
            int port = server.listenAddresses().getFirst().port();
            Path knownHosts = OpenSsh.knownHosts(dir, port, OpenSshKeys.publicKeyLine(fixture.host.getPublic(), ""));
            List<String> command = OpenSsh.clientBase(fixture.clientKey, knownHosts, port);
            command.addAll(List.of("-N", "-o", "ExitOnForwardFailure=yes",
                    "-R", remotePort + ":127.0.0.1:" + echo.port(), "alice@127.0.0.1"));
            try (OpenSsh.Running ssh = OpenSsh.start(command, dir, "ssh-remote")) {
                OpenSsh.awaitListening(remotePort, ssh, Duration.ofSeconds(20));
                byte[] payload = Loopback.randomBytes(600_000, 6);
                assertThat(Loopback.roundTrip(remotePort, payload)).isEqualTo(payload);
            }
        }
    }

    /**
     * OpenSSH's GatewayPorts no: whatever address {@code ssh -R} names (an external one from TEST-NET, never
     * configured here, or the wildcard), the server listens on loopback only: 127.0.0.1 and ::1, as OpenSSH.
     */
    @Test
    void openSshRemoteForwardsListenOnLoopbackWhateverAddressTheyName() throws Exception {
        int external = Loopback.unusedPort();
        int wildcard = Loopback.unusedPort();
        int named = Loopback.unusedPort();
        try (Loopback.EchoServer echo = new Loopback.EchoServer();
             AlknetServer server = Alknet.server(fixture.server().build())) {
            List<String> command = openSsh(server, "-N", "-o", "ExitOnForwardFailure=yes",
                    "-R", "192.0.2.2:" + external + ":127.0.0.1:" + echo.port(),
                    "-R", "0.0.0.0:" + wildcard + ":127.0.0.1:" + echo.port(),
                    "-R", "example.org:" + named + ":127.0.0.1:" + echo.port(), "alice@127.0.0.1");
            try (OpenSsh.Running ssh = OpenSsh.start(command, dir, "ssh-gateway")) {
                for (int port : new int[] {external, wildcard, named}) {
                    OpenSsh.awaitListening(port, ssh, Duration.ofSeconds(20));
                    // both loopback addresses, as OpenSSH's own server listens (::1 where this host has IPv6)
                    List<InetAddress> loopbacks = hasIpv6Loopback()
                            ? List.of(InetAddress.ofLiteral("127.0.0.1"), InetAddress.ofLiteral("::1"))
                            : List.of(InetAddress.ofLiteral("127.0.0.1"));
                    assertThat(ListeningSockets.on(port)).as("what listens on port %d", port).containsExactlyInAnyOrderElementsOf(loopbacks);
                    byte[] payload = Loopback.randomBytes(100_000, port);
                    assertThat(Loopback.roundTrip(port, payload)).isEqualTo(payload);
                    if (loopbacks.size() == 2) {
                        try (Socket v6 = new Socket(InetAddress.ofLiteral("::1"), port)) {
                            v6.getOutputStream().write(payload, 0, 1000);
                            assertThat(v6.getInputStream().readNBytes(1000)).as("echoed over ::1").isEqualTo(java.util.Arrays.copyOf(payload, 1000));
                        }
                    }
                }
            }
        }
    }

    /** With gateway-ports clientspecified the address the client names is used (a loopback one here). */
    @Test
    void clientSpecifiedGatewayPortsListenWhereTheClientAsks() throws Exception {
        int port = Loopback.unusedPort();
        try (Loopback.EchoServer echo = new Loopback.EchoServer();
             AlknetServer server = Alknet.server(fixture.server().setting("interface.ssh.gateway-ports", "clientspecified").build())) {
            List<String> command = openSsh(server, "-N", "-o", "ExitOnForwardFailure=yes",
                    "-R", "127.0.0.2:" + port + ":127.0.0.1:" + echo.port(), "alice@127.0.0.1");
            try (OpenSsh.Running ssh = OpenSsh.start(command, dir, "ssh-clientspecified")) {
                awaitListening(port, ssh);
                assertThat(ListeningSockets.on(port)).containsExactly(InetAddress.ofLiteral("127.0.0.2"));
            }
        }
    }

    /** Like sshd, where only root may: listening below port 1024 is refused unless a policy rule names the port. */
    @Test
    void aPrivilegedPortIsRefusedWithTheReasonForOpenSshAndAlknetClients() throws Exception {
        try (Loopback.EchoServer echo = new Loopback.EchoServer();
             AlknetServer server = Alknet.server(fixture.server().build())) {
            List<String> command = openSsh(server, "-v", "-N", "-o", "ExitOnForwardFailure=yes",
                    "-R", "80:127.0.0.1:" + echo.port(), "alice@127.0.0.1");
            try (OpenSsh.Running ssh = OpenSsh.start(command, dir, "ssh-privileged")) {
                assertThat(ssh.process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).as("ssh gives up").isTrue();
                assertThat(ssh.process.exitValue()).isNotZero();
                assertThat(ssh.stderr()).contains("remote port forwarding failed for listen port 80")
                        .contains("Remote: tcpip-forward refused: administratively prohibited: listening on a port below 1024 "
                                + "needs an allow rule that names the port");
            }
            assertThat(ListeningSockets.on(80)).doesNotContain(InetAddress.ofLiteral("127.0.0.1"));
            ClientOptions options = fixture.client(server).frontEnd(BuiltIns.remoteForward("80:127.0.0.1:" + echo.port())).build();
            assertThatThrownBy(() -> Alknet.client(options))
                    .isInstanceOf(AlknetException.class)
                    .satisfies(e -> assertThat(((AlknetException) e).code()).isEqualTo(ErrorCode.FORWARD_DENIED))
                    .hasMessageContaining("the server refused to listen on localhost:80")
                    .hasMessageContaining("below 1024").hasMessageContaining("allow 127.0.0.1:80 direction=remote");
        }
    }

    private List<String> openSsh(AlknetServer server, String... arguments) throws Exception {
        int port = server.listenAddresses().getFirst().port();
        Path knownHosts = OpenSsh.knownHosts(dir, port, OpenSshKeys.publicKeyLine(fixture.host.getPublic(), ""));
        List<String> command = OpenSsh.clientBase(fixture.clientKey, knownHosts, port);
        command.addAll(List.of(arguments));
        return command;
    }

    /** Waits until something listens on {@code port} on any address (the probe of OpenSsh.awaitListening is 127.0.0.1 only). */
    private static void awaitListening(int port, OpenSsh.Running running) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (ListeningSockets.on(port).isEmpty() && System.nanoTime() < deadline) {
            if (!running.process.isAlive()) {
                throw new IllegalStateException("ssh exited: " + running.stderr());
            }
            Thread.sleep(50);
        }
        assertThat(ListeningSockets.on(port)).as(running.stderr()).isNotEmpty();
    }

    /** Whether this host can listen on ::1 (a container without IPv6 cannot). */
    private static boolean hasIpv6Loopback() {
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, InetAddress.ofLiteral("::1"))) {
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
