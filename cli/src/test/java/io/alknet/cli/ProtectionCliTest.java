package io.alknet.cli;

import io.alknet.testkit.Loopback;
import io.alknet.testkit.Socks5Client;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
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
        Keys keys = keys();
        Path stranger = dir.resolve("stranger");
        assertThat(Cli.run(dir, "keygen", "-f", stranger.toString()).exitCode()).isZero();
        int serverPort = Loopback.unusedPort();
        Path log;
        try (Cli.Running server = Cli.start(dir, "serve", "--listen", "tcp://127.0.0.1:" + serverPort,
                "--host-key", keys.host.toString(), "--authorized-keys", keys.authorized.toString(),
                // one failed login earns the whole threshold, however slowly the JVMs of the clients start: the
                // penalty runs down in real time, so smaller steps would race with the machine's load
                "--per-source-penalties", "authfail:1m min:1m max:2m")) {
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
        Fail2banRegex.Result result = Fail2banRegex.run(log);
        assertThat(result.matched()).as(result.output()).containsExactlyElementsOf(failures)
                .allSatisfy(line -> assertThat(line).contains("remote_addr=127.0.0.1 "));
    }

    /**
     * MINA logs the name-lists of a client's KEXINIT when key exchange cannot be agreed. A client that puts a
     * line break (in every form a log reader might split on) and a copy of an alknet event naming another
     * address into them gets that text logged as part of MINA's one line, escaped; fail2ban, with the shipped
     * filter, counts nothing for the forged address and still counts the real failures.
     */
    @Test
    void aForgedKexinitCannotWriteALineTheFilterCounts() throws Exception {
        Keys keys = keys();
        Path stranger = dir.resolve("stranger");
        assertThat(Cli.run(dir, "keygen", "-f", stranger.toString()).exitCode()).isZero();
        String event = "WARN  audit auth.failure remote_addr=203.0.113.99 remote_port=4711 transport=tcp user=root "
                + "method=publickey key=- reason=unknown_key ";
        String stamp = "2026-11-29T06:00:01.123Z ";
        List<String> forms = List.of(stamp + event, " " + event, "myhost alknet[123]: " + stamp + event,
                "Nov 29 06:00:01 myhost alknet[123]: " + stamp + event);
        List<String> breaks = List.of("\n", "\r\n", "\r", "\n ", "\n\t", "\u000b", "\u000c", "\u001c", "\u001d", "\u001e",
                "\u0085", "\u2028", "\u2029", "\u0000", "\u001b[2K\r", "\u001bE");
        int serverPort = Loopback.unusedPort();
        Path log = dir.resolve("alknet.log");
        try (Cli.Running server = Cli.start(dir, "serve", "--listen", "tcp://127.0.0.1:" + serverPort,
                "--host-key", keys.host.toString(), "--authorized-keys", keys.authorized.toString(),
                "--per-source-penalties", "no")) {
            String fingerprint = fingerprint(server.await("host key fingerprint", Duration.ofSeconds(60)));
            for (String lineBreak : breaks) {
                StringBuilder forged = new StringBuilder();
                forms.forEach(form -> forged.append(lineBreak).append(form));
                sendKexinit(serverPort, forged.append(lineBreak).toString());
            }
            for (int i = 0; i < 2; i++) {
                Cli.Result refused = Cli.run(dir, "connect", "tcp://127.0.0.1:" + serverPort, "-i", stranger.toString(),
                        "--host-key-fingerprint", fingerprint, "--no-socks5", "--no-reconnect", "-L", "0:127.0.0.1:9");
                assertThat(refused.exitCode()).as(refused.stderr()).isEqualTo(1);
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (server.stderr().split("remote_addr=203.0.113.99", -1).length - 1 < breaks.size() * forms.size()
                    && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            server.process.destroy();
            assertThat(server.process.waitFor(15, TimeUnit.SECONDS)).isTrue();
            Files.writeString(log, server.stderr());
        }
        String written = Files.readString(log);
        assertThat(written.split("remote_addr=203.0.113.99", -1).length - 1).as("every forgery reached the log\n" + written)
                .isEqualTo(breaks.size() * forms.size());
        assertThat(written.lines()).as("only alknet's time stamp or a tab starts a line").allSatisfy(line ->
                assertThat(line).matches("(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) |\t).*"));
        Fail2banRegex.Result result = Fail2banRegex.run(log);
        assertThat(result.matched()).as(result.output()).noneSatisfy(line -> assertThat(line).contains("203.0.113.99"));
        assertThat(result.matched()).as(result.output()).hasSizeGreaterThanOrEqualTo(2)
                .allSatisfy(line -> assertThat(line).contains("auth.failure remote_addr=127.0.0.1 "));
    }

    /** Sends an SSH banner and a KEXINIT whose ten name-lists all end in {@code forged}, then reads until the server hangs up. */
    private static void sendKexinit(int port, String forged) throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(20_000);
            ByteArrayOutputStream payload = new ByteArrayOutputStream();
            DataOutputStream kexinit = new DataOutputStream(payload);
            kexinit.write(20); // SSH_MSG_KEXINIT
            kexinit.write(new byte[16]);
            for (int list = 0; list < 10; list++) {
                byte[] names = ("nope-" + list + forged).getBytes(StandardCharsets.UTF_8);
                kexinit.writeInt(names.length);
                kexinit.write(names);
            }
            kexinit.write(0);
            kexinit.writeInt(0);
            int padding = 8 - (payload.size() + 5) % 8;
            padding = padding < 4 ? padding + 8 : padding;
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.write("SSH-2.0-OpenSSH_9.2\r\n".getBytes(StandardCharsets.US_ASCII));
            out.writeInt(payload.size() + padding + 1);
            out.write(padding);
            out.write(payload.toByteArray());
            out.write(new byte[padding]);
            out.flush();
            socket.getInputStream().readAllBytes();
        }
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

    /**
     * A process started under nohup inherits SIGHUP ignored, and the JVM then installs no handler: serve says that
     * kill -HUP will not reload and names what does; alknet reload still works. Started normally, no such warning.
     */
    @Test
    void underNohupServeWarnsThatSighupCannotReloadAndAlknetReloadStillWorks() throws Exception {
        Keys keys = keys();
        String[] serve = {"serve", "--listen", "tcp://127.0.0.1:" + Loopback.unusedPort(), "--host-key", keys.host.toString(),
                "--authorized-keys", keys.authorized.toString()};
        try (Cli.Running server = Cli.startUnder(dir, List.of("nohup"), serve)) {
            server.await("host key fingerprint", Duration.ofSeconds(60));
            assertThat(server.stderr()).contains("SIGHUP is ignored in this process (started under nohup?)").contains("alknet reload");
            Cli.Result reload = Cli.run(dir, "reload");
            assertThat(reload.exitCode()).as(reload.stderr()).isZero();
        }
        serve[2] = "tcp://127.0.0.1:" + Loopback.unusedPort();
        try (Cli.Running server = Cli.start(dir, serve)) {
            server.await("host key fingerprint", Duration.ofSeconds(60));
            assertThat(server.stderr()).doesNotContain("SIGHUP");
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
