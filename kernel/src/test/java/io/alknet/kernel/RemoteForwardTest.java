package io.alknet.kernel;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.api.iface.HostKeyVerification;
import io.alknet.api.transport.TransportAddress;
import io.alknet.ssh.OpenSshKeys;
import io.alknet.testkit.Loopback;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
                     .frontEnd(FrontEndSpec.remoteForward(remotePort + ":127.0.0.1:" + echo.port())).build())) {
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
        try (AlknetServer server = Alknet.server(fixture.server().policy(policy).build())) {
            ClientOptions options = fixture.client(server).frontEnd(FrontEndSpec.remoteForward(remotePort + ":127.0.0.1:9")).build();
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
             AlknetClient client = Alknet.client(ClientOptions.builder(TransportAddress.of("tcp", "127.0.0.1", port))
                     .identity(fixture.clientKey)
                     .user(System.getProperty("user.name"))
                     .hostKeys(new HostKeyVerification.KnownHosts(knownHosts))
                     .stateDirectory(dir.resolve("client-state"))
                     .frontEnd(FrontEndSpec.remoteForward(remotePort + ":127.0.0.1:" + echo.port()))
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
}
