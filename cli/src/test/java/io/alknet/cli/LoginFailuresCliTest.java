package io.alknet.cli;

import io.alknet.testkit.Loopback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What counts as a failed login, end to end with the packaged command, real clients and the shipped fail2ban
 * filter ({@code fail2ban-regex}): a key a client merely offers and that is refused counts only if the
 * connection never logs in, as with OpenSSH's sshd, so certificate users (OpenSSH offers the certificate's
 * plain key first) are never banned.
 */
class LoginFailuresCliTest {

    @TempDir
    Path dir;

    @Test
    void certificateLoginsCountNothingWhileAWrongKeyStillCounts() throws Exception {
        Path host = dir.resolve("host");
        assertThat(Cli.run(dir, "keygen", "-f", host.toString()).exitCode()).isZero();
        Path ca = sshKeygen("ca");
        Path user = sshKeygen("user");
        run("ssh-keygen", "-q", "-s", ca.toString(), "-I", "alice-id", "-n", "alice", "-V", "-5m:+1h", user + ".pub");
        Path stranger = sshKeygen("stranger");
        int port = Loopback.unusedPort();
        Path log = dir.resolve("alknet.log");
        try (Loopback.EchoServer echo = new Loopback.EchoServer();
             Cli.Running server = Cli.start(dir, "serve", "--listen", "tcp://127.0.0.1:" + port, "--host-key", host.toString(),
                     "--cert-authority", ca + ".pub")) {
            server.await("server.listening", Duration.ofSeconds(60));
            Path knownHosts = dir.resolve("known_hosts");
            Files.writeString(knownHosts, "[127.0.0.1]:" + port + " " + Files.readString(Path.of(host + ".pub")));
            int logins = 7;
            for (int i = 1; i <= logins; i++) {
                int localPort = Loopback.unusedPort();
                List<String> command = ssh(user, knownHosts, port);
                command.addAll(List.of("-N", "-o", "ExitOnForwardFailure=yes", "-L", localPort + ":127.0.0.1:" + echo.port(),
                        "alice@127.0.0.1"));
                Process ssh = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("ssh-" + i).toFile()).start();
                try {
                    awaitCount(server, "connection.opened", i);
                    awaitCount(server, "auth.success", i);
                    byte[] payload = Loopback.randomBytes(10_000, i);
                    assertThat(Loopback.roundTrip(localPort, payload)).as("login %d forwards", i).isEqualTo(payload);
                } finally {
                    ssh.destroy();
                    assertThat(ssh.waitFor(15, TimeUnit.SECONDS)).isTrue();
                }
                awaitCount(server, "connection.closed", i);
            }
            List<String> wrongKey = ssh(stranger, knownHosts, port);
            wrongKey.addAll(List.of("alice@127.0.0.1", "true"));
            Process refused = new ProcessBuilder(wrongKey).redirectErrorStream(true).start();
            String output = new String(refused.getInputStream().readAllBytes());
            assertThat(refused.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(output).contains("Permission denied");
            awaitCount(server, "connection.closed", logins + 1);
            server.process.destroy();
            assertThat(server.process.waitFor(15, TimeUnit.SECONDS)).isTrue();
            Files.writeString(log, server.stderr());
        }
        String written = Files.readString(log);
        assertThat(count(written, "auth.success")).as(written).isEqualTo(7);
        assertThat(written).as("no penalty for logins that succeeded").doesNotContain("ratelimit.penalty").doesNotContain("connection.rejected");
        Fail2banRegex.Result result = Fail2banRegex.run(log);
        assertThat(result.matched()).as(result.output()).singleElement().asString()
                .contains("auth.failure remote_addr=127.0.0.1 ").contains("reason=unknown_key");
    }

    private Path sshKeygen(String name) throws Exception {
        Path key = dir.resolve(name);
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", key.toString());
        return key;
    }

    /** The real OpenSSH client, ignoring every user and system configuration. */
    private static List<String> ssh(Path identity, Path knownHosts, int port) {
        return new ArrayList<>(List.of("ssh", "-F", "/dev/null", "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes",
                "-o", "IdentityAgent=none", "-o", "StrictHostKeyChecking=yes", "-o", "UserKnownHostsFile=" + knownHosts,
                "-o", "GlobalKnownHostsFile=/dev/null", "-o", "ConnectTimeout=10", "-i", identity.toString(),
                "-p", Integer.toString(port)));
    }

    private static void awaitCount(Cli.Running server, String event, int count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (count(server.stderr(), event) < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("fewer than " + count + " " + event + " lines:\n" + server.stderr());
            }
            Thread.sleep(50);
        }
    }

    private static int count(String text, String needle) {
        return text.split(java.util.regex.Pattern.quote(needle), -1).length - 1;
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as(String.join(" ", command) + ": " + output).isZero();
    }
}
