package io.alknet.cli;

import io.alknet.testkit.Loopback;
import io.alknet.testkit.Socks5Client;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Operators' protections, end to end with the packaged command: logs at DEBUG never name a tunnel
 * destination; the fail2ban filter in docs/fail2ban matches every failure line of a real log
 * ({@code fail2ban-regex}, Debian package fail2ban); a reload with a broken configuration file keeps the
 * running configuration and says precisely what is wrong.
 */
class ProtectionCliTest {

    private static final Pattern FINGERPRINT = Pattern.compile("SHA256:[A-Za-z0-9+/]{43}");
    /** Source ports of incoming connections are logged (they are not destinations) and may be any number. */
    private static final Pattern SOURCE_PORT = Pattern.compile("remote_port=\\d+");

    @TempDir
    Path dir;

    @Test
    void debugLogsNeverNameATunnelDestination() throws Exception {
        InetAddress destination = InetAddress.getByName("127.0.0.77");
        Keys keys = keys();
        int deniedPort = Loopback.unusedPort();
        Path policy = dir.resolve("policy.rules");
        Files.writeString(policy, "deny *:" + deniedPort + "\nallow *\n");
        int serverPort = Loopback.unusedPort();
        int localPort = Loopback.unusedPort();
        int socksPort = Loopback.unusedPort();
        int remotePort = Loopback.unusedPort();
        try (Loopback.EchoServer echo = new Loopback.EchoServer(destination);
             Cli.Running server = Cli.start(dir, "serve", "--debug", "--listen", "tcp://127.0.0.1:" + serverPort,
                     "--host-key", keys.host.toString(), "--authorized-keys", keys.authorized.toString(), "--policy", policy.toString())) {
            String fingerprint = fingerprint(server.await("host key fingerprint", Duration.ofSeconds(60)));
            String target = "127.0.0.77:" + echo.port();
            try (Cli.Running client = Cli.start(dir, "connect", "--debug", "tcp://127.0.0.1:" + serverPort, "-i", keys.client.toString(),
                    "--host-key-fingerprint", fingerprint, "-D", "127.0.0.1:" + socksPort,
                    "-L", localPort + ":" + target, "-R", remotePort + ":" + target)) {
                client.await("ready: -R", Duration.ofSeconds(60));
                client.await("ready: -L", Duration.ofSeconds(60));
                client.await("(SOCKS5)", Duration.ofSeconds(60));

                byte[] payload = Loopback.randomBytes(100_000, 3);
                assertThat(Loopback.roundTrip(localPort, payload)).as("-L").isEqualTo(payload);
                assertThat(Loopback.roundTrip(remotePort, payload)).as("-R").isEqualTo(payload);
                try (Socket socks = Socks5Client.connect(socksPort, "127.0.0.77", echo.port())) {
                    OutputStream out = socks.getOutputStream();
                    out.write(payload, 0, 1000);
                    socks.shutdownOutput();
                    InputStream in = socks.getInputStream();
                    assertThat(in.readAllBytes()).hasSize(1000);
                }
                try (Socket denied = new Socket(InetAddress.getLoopbackAddress(), socksPort)) {
                    assertThat(Socks5Client.handshake(denied, "127.0.0.77", deniedPort)).as("denied by the policy").isEqualTo(2);
                }
                client.process.destroy();
                assertThat(client.process.waitFor(15, TimeUnit.SECONDS)).isTrue();
                server.process.destroy();
                assertThat(server.process.waitFor(15, TimeUnit.SECONDS)).isTrue();

                List<String> serverLines = lines(server.stdout() + server.stderr());
                // the client echoes its own command line once ("alknet: ready: -L … -> host:port"); its log lines must not
                List<String> clientLines = lines(client.stdout() + client.stderr()).stream()
                        .filter(line -> !line.startsWith("alknet: ready:")).toList();
                assertThat(serverLines).anySatisfy(line -> assertThat(line).contains("DEBUG"));
                assertThat(serverLines).anySatisfy(line -> assertThat(line).contains("forward.denied"));
                for (String line : concat(serverLines, clientLines)) {
                    String withoutSources = SOURCE_PORT.matcher(line).replaceAll("remote_port=_");
                    assertThat(withoutSources).doesNotContain("127.0.0.77")
                            .doesNotContainPattern("(?<![0-9])" + echo.port() + "(?![0-9])")
                            .doesNotContainPattern("(?<![0-9])" + deniedPort + "(?![0-9])");
                }
            }
        }
    }

    @Test
    void fail2banFilterMatchesEveryFailureLineOfARealLog() throws Exception {
        Path regex = java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .map(directory -> Path.of(directory, "fail2ban-regex")).filter(Files::isExecutable).findFirst()
                .orElseThrow(() -> new AssertionError("fail2ban-regex is not on PATH: apt-get install fail2ban (.ci/run does this)"));
        Keys keys = keys();
        Path stranger = dir.resolve("stranger");
        assertThat(Cli.run(dir, "keygen", "-f", stranger.toString()).exitCode()).isZero();
        int serverPort = Loopback.unusedPort();
        Path log;
        try (Cli.Running server = Cli.start(dir, "serve", "--listen", "tcp://127.0.0.1:" + serverPort,
                "--host-key", keys.host.toString(), "--authorized-keys", keys.authorized.toString(),
                "--per-source-penalties", "authfail:5s min:10s max:30s")) {
            String fingerprint = fingerprint(server.await("host key fingerprint", Duration.ofSeconds(60)));
            for (int i = 0; i < 4; i++) {
                Cli.Result refused = Cli.run(dir, "connect", "tcp://127.0.0.1:" + serverPort, "-i", stranger.toString(),
                        "--host-key-fingerprint", fingerprint, "--no-socks5", "--no-reconnect", "-L", "0:127.0.0.1:9");
                assertThat(refused.exitCode()).as(refused.stderr()).isEqualTo(1);
            }
            try (Socket junk = new Socket(InetAddress.getLoopbackAddress(), serverPort)) {
                junk.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes());
                junk.getInputStream().readAllBytes();
            }
            server.await("reason=penalty", Duration.ofSeconds(30));
            server.process.destroy();
            assertThat(server.process.waitFor(15, TimeUnit.SECONDS)).isTrue();
            log = dir.resolve("alknet.log");
            Files.writeString(log, server.stderr());
        }
        List<String> failures = Files.readAllLines(log).stream()
                .filter(line -> line.contains("auth.failure") || line.contains("connection.rejected") || line.contains("ratelimit.penalty"))
                .toList();
        assertThat(failures).anySatisfy(line -> assertThat(line).contains("auth.failure"))
                .anySatisfy(line -> assertThat(line).contains("ratelimit.penalty"))
                .anySatisfy(line -> assertThat(line).contains("connection.rejected"));
        Path filter = Path.of(System.getProperty("alknet.root", "..")).resolve("docs/fail2ban/filter.d/alknet.conf").toAbsolutePath();
        Process run = new ProcessBuilder(regex.toString(), "--print-all-matched", log.toString(), filter.toString())
                .redirectErrorStream(true).start();
        String output = new String(run.getInputStream().readAllBytes());
        assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(run.exitValue()).as(output).isZero();
        Matcher lines = Pattern.compile("Lines: (\\d+) lines, (\\d+) ignored, (\\d+) matched, (\\d+) missed").matcher(output);
        assertThat(lines.find()).as(output).isTrue();
        assertThat(Integer.parseInt(lines.group(3))).as("matched lines\n" + output).isEqualTo(failures.size());
        String matched = output.substring(output.indexOf("Matched line(s):") + 1);
        int missed = matched.indexOf("Missed line(s)");
        matched = missed < 0 ? matched : matched.substring(0, missed);
        assertThat(matched.lines().filter(line -> line.contains("remote_addr=127.0.0.1")).count())
                .as("every matched line names the client address\n" + output).isEqualTo(failures.size());
    }

    @Test
    void reloadWithABrokenConfigKeepsTheRunningOneAndNamesTheProblem() throws Exception {
        Keys keys = keys();
        Path config = dir.resolve("alknet.toml");
        int serverPort = Loopback.unusedPort();
        String good = String.join("\n",
                "[server]",
                "listen = \"tcp://127.0.0.1:" + serverPort + "\"",
                "host_key = \"host\"",
                "",
                "[auth]",
                "authorized_keys = \"authorized_keys\"",
                "",
                "[limits]",
                "max_auth_attempts = 5",
                "");
        Files.writeString(config, good);
        try (Cli.Running server = Cli.start(dir, "serve", "--config", config.toString())) {
            String fingerprint = fingerprint(server.await("host key fingerprint", Duration.ofSeconds(60)));

            Files.writeString(config, good.replace("max_auth_attempts = 5", "max_auth_attempts = 5\nmax_auth_attemps = 6"));
            Cli.Result typo = Cli.run(dir, "reload");
            assertThat(typo.exitCode()).isEqualTo(1);
            assertThat(typo.stderr()).contains("reload refused").contains(config + " line 10")
                    .contains("unknown key 'max_auth_attemps' in [limits]");

            Files.writeString(config, good.replace("[limits]", "[limits"));
            Cli.Result syntax = Cli.run(dir, "reload");
            assertThat(syntax.exitCode()).isEqualTo(1);
            assertThat(syntax.stderr()).contains("reload refused").contains("line 8");

            Path missingKeys = dir.resolve("gone");
            Files.writeString(config, good.replace("authorized_keys = \"authorized_keys\"", "authorized_keys = \"gone\""));
            Cli.Result missing = Cli.run(dir, "reload");
            assertThat(missing.exitCode()).isEqualTo(1);
            assertThat(missing.stderr()).contains("authorized keys file not found: " + missingKeys);

            // the server still runs its first configuration: the client logs in and forwards
            int localPort = Loopback.unusedPort();
            try (Loopback.EchoServer echo = new Loopback.EchoServer();
                 Cli.Running client = Cli.start(dir, "connect", "tcp://127.0.0.1:" + serverPort, "-i", keys.client.toString(),
                         "--host-key-fingerprint", fingerprint, "--no-socks5", "-L", localPort + ":127.0.0.1:" + echo.port())) {
                client.await("ready: -L", Duration.ofSeconds(60));
                byte[] payload = Loopback.randomBytes(10_000, 4);
                assertThat(Loopback.roundTrip(localPort, payload)).isEqualTo(payload);

                // a good reload that removes the client's key closes its session and refuses it afterwards
                Path empty = dir.resolve("empty_keys");
                Files.writeString(empty, "# nobody\n");
                Files.writeString(config, good.replace("authorized_keys = \"authorized_keys\"", "authorized_keys = \"empty_keys\""));
                Cli.Result applied = Cli.run(dir, "reload");
                assertThat(applied.exitCode()).as(applied.stderr()).isZero();
                assertThat(applied.stdout()).contains("reloaded (generation=2)");
                server.await("session.revoked", Duration.ofSeconds(30));
                client.await("refused the key", Duration.ofSeconds(60));
            }
            assertThat(server.stderr()).contains("config.reload.rejected").contains("config.reloaded generation=2");
        }
    }

    private record Keys(Path host, Path client, Path authorized) {
    }

    private Keys keys() throws Exception {
        Path host = dir.resolve("host");
        Path client = dir.resolve("client");
        assertThat(Cli.run(dir, "keygen", "-f", host.toString()).exitCode()).isZero();
        assertThat(Cli.run(dir, "keygen", "-f", client.toString(), "-C", "dave").exitCode()).isZero();
        Path authorized = dir.resolve("authorized_keys");
        Files.copy(Path.of(client + ".pub"), authorized);
        return new Keys(host, client, authorized);
    }

    private static List<String> lines(String text) {
        return text.lines().filter(line -> !line.isBlank()).toList();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static String fingerprint(String text) {
        Matcher matcher = FINGERPRINT.matcher(text);
        assertThat(matcher.find()).as("a fingerprint in: " + text).isTrue();
        return matcher.group();
    }
}
