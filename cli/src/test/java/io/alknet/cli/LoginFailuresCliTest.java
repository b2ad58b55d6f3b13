package io.alknet.cli;

import io.alknet.testkit.Loopback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.Socket;
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
                List<String> command = OpenSshClient.command(user, knownHosts, port);
                command.addAll(List.of("-N", "-o", "ExitOnForwardFailure=yes", "-L", localPort + ":127.0.0.1:" + echo.port(),
                        "alice@127.0.0.1"));
                Process ssh = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("ssh-" + i).toFile()).start();
                try {
                    awaitCount(server, "connection.opened", i);
                    awaitCount(server, "auth.success", i);
                    OpenSshClient.awaitListening(localPort, ssh);
                    byte[] payload = Loopback.randomBytes(10_000, i);
                    assertThat(Loopback.roundTrip(localPort, payload)).as("login %d forwards", i).isEqualTo(payload);
                } finally {
                    ssh.destroy();
                    assertThat(ssh.waitFor(15, TimeUnit.SECONDS)).isTrue();
                }
                awaitCount(server, "connection.closed", i);
            }
            List<String> wrongKey = OpenSshClient.command(stranger, knownHosts, port);
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

    /**
     * alknet never offers password or keyboard-interactive, but password-guessing bots try them anyway. With
     * paramiko (a real client that sends them without asking), each attempt is an auth.failure that fail2ban
     * counts and earns the full authfail penalty, as in OpenSSH's sshd with password authentication off.
     */
    @Test
    void passwordAndKeyboardInteractiveAttemptsAreFailedLogins() throws Exception {
        Path host = dir.resolve("host");
        assertThat(Cli.run(dir, "keygen", "-f", host.toString()).exitCode()).isZero();
        Path user = sshKeygen("user");
        int port = Loopback.unusedPort();
        Path log = dir.resolve("alknet.log");
        try (Cli.Running server = Cli.start(dir, "serve", "--listen", "tcp://127.0.0.1:" + port, "--host-key", host.toString(),
                "--authorized-keys", user + ".pub",
                // noauth alone (1s) never reaches the threshold: a refusal below proves the full authfail penalty
                "--per-source-penalties", "authfail:1m noauth:1s min:1m max:2m")) {
            server.await("server.listening", Duration.ofSeconds(60));
            assertThat(paramiko(port, "127.0.0.1", "password")).contains("refused; the server offers ['publickey']");
            assertThat(paramiko(port, "127.0.0.2", "keyboard-interactive")).contains("refused; the server offers ['publickey']");
            awaitCount(server, "ratelimit.penalty", 2);
            assertThat(paramiko(port, "127.0.0.1", "password")).as("in the penalty box").contains("no SSH banner");
            awaitCount(server, "reason=penalty", 1);
            server.process.destroy();
            assertThat(server.process.waitFor(15, TimeUnit.SECONDS)).isTrue();
            Files.writeString(log, server.stderr());
        }
        String written = Files.readString(log);
        assertThat(written).as(written)
                .contains("auth.failure remote_addr=127.0.0.1 ").contains("user=root method=password key=- reason=method_not_allowed")
                .contains("auth.failure remote_addr=127.0.0.2 ").contains("user=root method=keyboard-interactive key=- reason=method_not_allowed")
                .doesNotContain("hunter2");
        assertThat(written.lines().filter(line -> line.contains("ratelimit.penalty")))
                .allSatisfy(line -> assertThat(line).contains("reason=authfail")).hasSize(2);
        Fail2banRegex.Result result = Fail2banRegex.run(log);
        assertThat(result.matched()).as(result.output())
                .anySatisfy(line -> assertThat(line).contains("auth.failure remote_addr=127.0.0.1 ").contains("method=password"))
                .anySatisfy(line -> assertThat(line).contains("auth.failure remote_addr=127.0.0.2 ").contains("method=keyboard-interactive"))
                .anySatisfy(line -> assertThat(line).contains("connection.rejected remote_addr=127.0.0.1 "));
    }

    /**
     * The HTTP gateway feeds the same penalty box as SSH logins: bad API keys sent by curl on one keep-alive
     * connection get 401 until the source reaches the threshold, then 429 and a closed connection, for the
     * right key too and for SSH from that address, while another address is served; fail2ban counts every
     * failure and refusal.
     */
    @Test
    void badApiKeysEarnTheSamePenaltyAsFailedSshLogins() throws Exception {
        Path host = dir.resolve("host");
        assertThat(Cli.run(dir, "keygen", "-f", host.toString()).exitCode()).isZero();
        Path apiKeys = dir.resolve("api_keys");
        Cli.Result created = Cli.run(dir, "apikey", "create", "--file", apiKeys.toString(), "--description", "test");
        assertThat(created.exitCode()).as(created.stderr()).isZero();
        String goodKey = created.stdout().strip();
        int port = Loopback.unusedPort();
        int httpPort = Loopback.unusedPort();
        String ops = "http://127.0.0.1:" + httpPort + "/v1/ops";
        Path log = dir.resolve("alknet.log");
        try (Cli.Running server = Cli.start(dir, "serve", "--listen", "tcp://127.0.0.1:" + port, "--host-key", host.toString(),
                "--http", "127.0.0.1:" + httpPort, "--api-keys", apiKeys.toString(),
                // three failures reach the threshold however slowly they arrive (the penalty runs down in real time)
                "--per-source-penalties", "authfail:1m min:150s max:5m")) {
            server.await("interface=http", Duration.ofSeconds(60));
            assertThat(curl("-H", "Authorization: Bearer " + goodKey, ops)).isEqualTo("200 1");

            List<String> badKeys = new ArrayList<>(List.of("-H", "Authorization: Bearer alk_" + "x".repeat(32)));
            for (int i = 0; i < 50; i++) {
                badKeys.addAll(List.of("-o", "/dev/null", ops)); // curl reuses its connection for the URLs of one run
            }
            List<String> answers = curl(badKeys.toArray(String[]::new)).lines().toList();
            // "status connections-opened": 401s on one connection, then 429 and a new connection for each request
            assertThat(answers).hasSize(50);
            assertThat(answers.subList(0, 4)).containsExactly("401 1", "401 0", "401 0", "429 0");
            assertThat(answers.subList(4, 50)).containsOnly("429 1");

            assertThat(curl("-H", "Authorization: Bearer " + goodKey, ops)).as("the source is refused, whatever it sends")
                    .isEqualTo("429 1");
            assertThat(curl("--interface", "127.0.0.2", "-H", "Authorization: Bearer " + goodKey, ops))
                    .as("another address is served").isEqualTo("200 1");
            try (Socket ssh = new Socket(InetAddress.getLoopbackAddress(), port)) {
                assertThat(ssh.getInputStream().readAllBytes()).as("SSH from the penalized address: closed before a banner").isEmpty();
            }
            awaitCount(server, "transport=tcp reason=penalty", 1);
            server.process.destroy();
            assertThat(server.process.waitFor(15, TimeUnit.SECONDS)).isTrue();
            Files.writeString(log, server.stderr());
        }
        String written = Files.readString(log);
        assertThat(written.lines().filter(line -> line.contains("auth.failure"))).as(written).hasSize(3)
                .allSatisfy(line -> assertThat(line).contains("remote_addr=127.0.0.1 ").contains("method=apikey"));
        assertThat(written.lines().filter(line -> line.contains("ratelimit.penalty"))).singleElement().asString()
                .contains("remote_addr=127.0.0.1 ").contains("reason=authfail");
        List<String> failures = written.lines().filter(line -> line.contains("auth.failure") || line.contains("ratelimit.penalty")
                || line.contains("connection.rejected")).toList();
        // three failures, the penalty, 47 refused bad keys, the refused right key, the refused SSH connection
        assertThat(failures).hasSize(3 + 1 + 47 + 1 + 1);
        Fail2banRegex.Result result = Fail2banRegex.run(log);
        assertThat(result.matched()).as(result.output()).containsExactlyElementsOf(failures)
                .allSatisfy(line -> assertThat(line).contains("remote_addr=127.0.0.1 "));
    }

    /** Runs curl over the given arguments; prints "status connections-opened" for each URL. */
    private static String curl(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "-s", "-w", "%{http_code} %{num_connects}\n"));
        if (!List.of(arguments).contains("-o")) {
            command.addAll(List.of("-o", "/dev/null"));
        }
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return output.strip();
    }

    /**
     * One login attempt by paramiko (Debian's python3-paramiko, installed by .ci/run) from {@code source}, with
     * {@code method} and the password "hunter2"; says how it ended.
     */
    private String paramiko(int port, String source, String method) throws Exception {
        String script = """
                import socket, sys, paramiko
                port, source, method = int(sys.argv[1]), sys.argv[2], sys.argv[3]
                sock = socket.socket()
                sock.bind((source, 0))
                sock.connect(("127.0.0.1", port))
                transport = paramiko.Transport(sock)
                try:
                    transport.start_client(timeout=20)
                except paramiko.SSHException as e:
                    print("no SSH banner:", e)
                    sys.exit(0)
                try:
                    if method == "password":
                        transport.auth_password("root", "hunter2")
                    else:
                        transport.auth_interactive("root", lambda title, instructions, prompts: ["hunter2"] * len(prompts))
                    print("accepted")
                except paramiko.BadAuthenticationType as e:
                    print("refused; the server offers", e.allowed_types)
                except paramiko.AuthenticationException as e:
                    print("refused:", e)
                finally:
                    transport.close()
                """;
        Path python = Path.of("/usr/bin/python3");
        assertThat(python).as("Debian's python3 with python3-paramiko (.ci/run installs it)").isExecutable();
        Process process = new ProcessBuilder(python.toString(), "-c", script, Integer.toString(port), source, method)
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    private Path sshKeygen(String name) throws Exception {
        Path key = dir.resolve(name);
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", key.toString());
        return key;
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
