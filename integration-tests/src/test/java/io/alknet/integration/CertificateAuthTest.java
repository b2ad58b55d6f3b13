package io.alknet.integration;

import io.alknet.api.interfaces.HostKeyVerification;
import io.alknet.api.stream.TransportStream;
import io.alknet.defaults.BuiltIns;
import io.alknet.interfaces.ssh.OpenSshKeys;
import io.alknet.kernel.Alknet;
import io.alknet.kernel.AlknetClient;
import io.alknet.kernel.AlknetServer;
import io.alknet.kernel.ClientOptions;
import io.alknet.kernel.ServerLimits;
import io.alknet.kernel.ServerOptions;
import io.alknet.testkit.Loopback;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * OpenSSH user certificates made by the real {@code ssh-keygen -s}, presented by the real {@code ssh}
 * client and by alknet's own client: a valid one logs in and forwards; each kind of invalid one is refused
 * with its own reason in the fail2ban log.
 */
class CertificateAuthTest {

    @TempDir
    Path dir;

    private Fixture fixture;
    private Path ca;
    private Path userKey;

    @BeforeAll
    static void openSshIsInstalled() {
        OpenSsh.requireInstalled();
    }

    @BeforeEach
    void keys() throws Exception {
        fixture = new Fixture(dir);
        ca = keygen("ca");
        userKey = keygen("user");
        LogCapture.clear();
    }

    @Test
    void validCertificateLogsInAndForwards() throws Exception {
        Path key = certify("valid", ca, "-n", "alice", "-V", "-5m:+1h");
        try (Loopback.EchoServer echo = new Loopback.EchoServer();
             AlknetServer server = Alknet.server(serverWithCa(ca).build())) {
            int port = server.listenAddresses().getFirst().port();
            int localPort = Loopback.unusedPort();
            List<String> command = ssh(key, server);
            command.addAll(List.of("-N", "-o", "ExitOnForwardFailure=yes", "-L", localPort + ":127.0.0.1:" + echo.port(),
                    "alice@127.0.0.1"));
            try (OpenSsh.Running ssh = OpenSsh.start(command, dir, "ssh-valid")) {
                OpenSsh.awaitListening(localPort, ssh, Duration.ofSeconds(20));
                byte[] payload = Loopback.randomBytes(300_000, 5);
                assertThat(Loopback.roundTrip(localPort, payload)).isEqualTo(payload);
            }
            assertThat(LogCapture.matching("auth.success")).anySatisfy(line -> assertThat(line)
                    .contains("method=publickey-cert").contains("identity=alice-id(SHA256:"));
            // OpenSSH offered the certificate's plain key first and was refused: no failed login for it
            assertThat(LogCapture.awaitMatching("connection.closed", "remote_port=")).hasSize(1);
            assertThat(LogCapture.matching("auth.failure")).isEmpty();
            assertThat(port).isPositive();
        }
    }

    @Test
    void alknetClientPresentsCertificateNextToItsKey() throws Exception {
        Path key = certify("mine", ca, "-n", "alice", "-V", "-5m:+1h");
        try (Loopback.EchoServer echo = new Loopback.EchoServer();
             AlknetServer server = Alknet.server(serverWithCa(ca).build());
             AlknetClient client = Alknet.client(BuiltIns.client(server.listenAddresses().getFirst())
                     .identity(key).user("alice").stateDirectory(dir.resolve("client-state"))
                     .hostKeys(new HostKeyVerification.Pinned(List.of(OpenSshKeys.fingerprint(fixture.host.getPublic()))))
                     .build())) {
            TransportStream stream = client.tunnel().openChannel("127.0.0.1", echo.port()).toCompletableFuture().get(10, TimeUnit.SECONDS);
            stream.abort();
            assertThat(LogCapture.matching("auth.success")).anySatisfy(line -> assertThat(line).contains("method=publickey-cert"));
        }
    }

    @Test
    void eachInvalidCertificateIsRefusedWithItsOwnReason() throws Exception {
        Path otherCa = keygen("other-ca");
        List<Case> cases = List.of(
                new Case("expired", certify("expired", ca, "-n", "alice", "-V", "20200101:20200201"), "cert_expired"),
                new Case("not yet valid", certify("future", ca, "-n", "alice", "-V", "+52w:+53w"), "cert_not_yet_valid"),
                new Case("wrong principal", certify("bob", ca, "-n", "bob", "-V", "-5m:+1h"), "cert_principal_mismatch"),
                new Case("unknown critical option", certify("critical", ca, "-n", "alice", "-V", "-5m:+1h",
                        "-O", "critical:frobnicate@example.com=yes"), "cert_unknown_critical_option"),
                new Case("source address", certify("source", ca, "-n", "alice", "-V", "-5m:+1h",
                        "-O", "source-address=192.0.2.0/24"), "cert_source_not_allowed"),
                new Case("untrusted CA", certify("foreign", otherCa, "-n", "alice", "-V", "-5m:+1h"), "cert_untrusted_ca"));
        try (AlknetServer server = Alknet.server(serverWithCa(ca).build())) {
            for (Case refused : cases) {
                LogCapture.clear();
                List<String> command = ssh(refused.key(), server);
                command.addAll(List.of("-o", "ConnectTimeout=10", "alice@127.0.0.1", "true"));
                Process ssh = new ProcessBuilder(command).redirectErrorStream(true).start();
                String output = new String(ssh.getInputStream().readAllBytes());
                assertThat(ssh.waitFor(20, TimeUnit.SECONDS)).isTrue();
                assertThat(ssh.exitValue()).as(refused.name() + ": " + output).isEqualTo(255);
                assertThat(output).as(refused.name()).contains("Permission denied");
                assertThat(LogCapture.awaitMatching("auth.failure", "reason=" + refused.reason()))
                        .as(refused.name() + " in " + LogCapture.matching("auth."))
                        .anySatisfy(line -> assertThat(line).contains("remote_addr=127.0.0.1")
                                .contains("method=publickey-cert").contains("reason=" + refused.reason()));
                assertThat(LogCapture.matching("auth.success")).as(refused.name()).isEmpty();
            }
            // the server is unharmed: a valid certificate still gets in
            Path valid = certify("after", ca, "-n", "alice", "-V", "-5m:+1h");
            List<String> command = ssh(valid, server);
            command.addAll(List.of("-N", "-o", "ExitOnForwardFailure=yes", "-L", Loopback.unusedPort() + ":127.0.0.1:9",
                    "alice@127.0.0.1"));
            try (OpenSsh.Running ssh = OpenSsh.start(command, dir, "ssh-after")) {
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (LogCapture.matching("auth.success").isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertThat(LogCapture.matching("auth.success")).as(ssh.stderr()).isNotEmpty();
            }
        }
    }

    @Test
    void caKeyItselfNeverLogsIn() throws Exception {
        try (AlknetServer server = Alknet.server(serverWithCa(ca).build())) {
            List<String> command = ssh(ca, server);
            command.addAll(List.of("alice@127.0.0.1", "true"));
            Process ssh = new ProcessBuilder(command).redirectErrorStream(true).start();
            ssh.getInputStream().readAllBytes();
            assertThat(ssh.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(ssh.exitValue()).isEqualTo(255);
            assertThat(LogCapture.awaitMatching("auth.failure", "reason=unknown_key")).anySatisfy(line -> assertThat(line).contains("reason=unknown_key"));
        }
    }

    private record Case(String name, Path key, String reason) {
    }

    private ServerOptions.Builder serverWithCa(Path caKey) {
        // many refused logins from one address in a row: without this the penalty box (tested on its own
        // in RateLimitTest) would refuse the later cases before they reach authentication
        return fixture.server().setting("identity.keys.trusted-user-ca-keys", caKey + ".pub")
                .penalties(ServerLimits.Penalties.OFF);
    }

    private List<String> ssh(Path key, AlknetServer server) throws IOException {
        int port = server.listenAddresses().getFirst().port();
        Path knownHosts = OpenSsh.knownHosts(dir, port, OpenSshKeys.publicKeyLine(fixture.host.getPublic(), ""));
        return new ArrayList<>(OpenSsh.clientBase(key, knownHosts, port));
    }

    private Path keygen(String name) throws Exception {
        Path key = dir.resolve(name);
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", key.toString());
        return key;
    }

    /** A copy of the user key with its own certificate ({@code NAME-cert.pub}), signed by {@code authority}. */
    private Path certify(String name, Path authority, String... options) throws Exception {
        Path key = dir.resolve("user-" + name);
        Files.copy(userKey, key, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(Path.of(userKey + ".pub"), Path.of(key + ".pub"), StandardCopyOption.REPLACE_EXISTING);
        List<String> command = new ArrayList<>(List.of("ssh-keygen", "-q", "-s", authority.toString(), "-I", "alice-id"));
        command.addAll(List.of(options));
        command.add(key + ".pub");
        run(command.toArray(String[]::new));
        assertThat(Path.of(key + "-cert.pub")).exists();
        return key;
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as(String.join(" ", command) + ": " + output).isZero();
    }
}
