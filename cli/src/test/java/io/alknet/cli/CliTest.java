package io.alknet.cli;

import io.alknet.testkit.Loopback;
import io.alknet.testkit.PluginJars;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The packaged command, run as processes. */
class CliTest {

    private static final Pattern FINGERPRINT = Pattern.compile("SHA256:[A-Za-z0-9+/]{43}");

    @TempDir
    Path dir;

    @Test
    void keygenWritesKeysThatSshKeygenReads() throws Exception {
        Path key = dir.resolve("id_ed25519");
        Cli.Result result = Cli.run(dir, "keygen", "-f", key.toString(), "-C", "alice@test");
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        String fingerprint = fingerprintIn(result.stdout());

        Process list = new ProcessBuilder("ssh-keygen", "-lf", key + ".pub").redirectErrorStream(true).start();
        String listed = new String(list.getInputStream().readAllBytes());
        assertThat(list.waitFor()).as(listed).isZero();
        assertThat(listed).contains(fingerprint).contains("alice@test").contains("(ED25519)");

        Process derive = new ProcessBuilder("ssh-keygen", "-y", "-f", key.toString()).redirectErrorStream(true).start();
        String derived = new String(derive.getInputStream().readAllBytes());
        assertThat(derive.waitFor()).as(derived).isZero();
        assertThat(Files.readString(Path.of(key + ".pub"))).startsWith(derived.strip().split(" ")[0] + " " + derived.strip().split(" ")[1]);

        Cli.Result again = Cli.run(dir, "keygen", "-f", key.toString());
        assertThat(again.exitCode()).isEqualTo(2);
        assertThat(again.stderrLines()).singleElement().asString().startsWith("error: ").contains("already exists");
    }

    @Test
    void pluginsListsTheBuiltInsWithTheirJars() throws Exception {
        Cli.Result result = Cli.run(dir, "plugins");
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout())
                .containsPattern("tcp\\s+built-in\\s+alknet-transport-tcp-[^ ]+\\.jar\\s+transport:tcp")
                .containsPattern("ssh\\s+built-in\\s+alknet-interface-ssh-[^ ]+\\.jar\\s+stream-interface:ssh")
                .containsPattern("keys\\s+built-in\\s+alknet-auth-keys-[^ ]+\\.jar\\s+identity-provider:keys")
                .containsPattern("rules\\s+built-in\\s+alknet-policy-rules-[^ ]+\\.jar\\s+forwarding-policy:rules");
    }

    @Test
    void pluginsListsAJarFromThePluginDirectoryAndRejectsADuplicateName() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        PluginJars.build(plugins, "audit-policy.jar", "com.example.audit.TestPlugin",
                PluginJars.policyPlugin("com.example.audit", "audit", "audit-policy"), null);
        Cli.Result listed = Cli.run(dir, "plugins", "--plugin-dir", plugins.toString());
        assertThat(listed.exitCode()).as(listed.stderr()).isZero();
        assertThat(listed.stdout()).containsPattern("audit\\s+dir\\s+audit-policy\\.jar\\s+forwarding-policy:audit-policy");

        PluginJars.build(plugins, "impostor.jar", "com.example.impostor.TestPlugin",
                PluginJars.policyPlugin("com.example.impostor", "keys", "impostor"), null);
        Cli.Result conflict = Cli.run(dir, "plugins", "--plugin-dir", plugins.toString());
        assertThat(conflict.exitCode()).isEqualTo(1);
        assertThat(conflict.stdout()).contains("rejected: impostor.jar: plugin name 'keys' is already taken by 'keys' in alknet-auth-keys-")
                .contains("audit-policy.jar");
    }

    @Test
    void malformedInputGetsOneClearErrorLineAndAStableExitCode() throws Exception {
        Path key = dir.resolve("key");
        assertThat(Cli.run(dir, "keygen", "-f", key.toString()).exitCode()).isZero();
        String pin = "SHA256:" + "A".repeat(43);

        expectError(Cli.run(dir, "connect", "tcp://127.0.0.1:1", "-i", key.toString(), "--host-key-fingerprint", pin, "-L", "8080:db"),
                2, "bad -L spec '8080:db'");
        expectError(Cli.run(dir, "connect", "tcp://127.0.0.1:1", "-i", key.toString(), "--host-key-fingerprint", pin, "-L", "x:db:80"),
                2, "'x' is not a port number");
        expectError(Cli.run(dir, "connect", "quic://127.0.0.1:1", "-i", key.toString(), "--host-key-fingerprint", pin),
                1, "unknown transport 'quic'");
        expectError(Cli.run(dir, "serve", "--listen", "udp://127.0.0.1:0"), 1, "unknown transport 'udp'");
        expectError(Cli.run(dir, "connect", "tcp://127.0.0.1:1", "-i", key.toString()), 2, "--host-key-fingerprint");
        expectError(Cli.run(dir, "connect", "127.0.0.1:70000", "-i", key.toString(), "--host-key-fingerprint", pin), 2, "not a port number");
        expectError(Cli.run(dir, "connect", "tcp://127.0.0.1:1", "-i", key.toString(), "--host-key-fingerprint", "MD5:aa"),
                2, "is not a SHA256 fingerprint");

        String valid = Files.readString(key);
        Path truncated = dir.resolve("truncated");
        Files.writeString(truncated, valid.substring(0, valid.length() / 3));
        expectError(Cli.run(dir, "serve", "--listen", "tcp://127.0.0.1:0", "--host-key", truncated.toString()),
                1, "truncated or corrupt");
        int closed = Loopback.unusedPort();
        expectError(Cli.run(dir, "connect", "tcp://127.0.0.1:" + closed, "-i", truncated.toString(), "--host-key-fingerprint", pin),
                1, "cannot reach");
        Path missing = dir.resolve("nope");
        expectError(Cli.run(dir, "serve", "--listen", "tcp://127.0.0.1:0", "--authorized-keys", missing.toString()),
                1, "authorized keys file not found: " + missing);
        expectError(Cli.run(dir, "serve", "--bogus-flag"), 2, "Unknown option: '--bogus-flag'");
    }

    @Test
    void policyExplainDeniesTheServerItselfInEverySpellingAndRefusesAmbiguousNumbers() throws Exception {
        Path policy = dir.resolve("policy.rules");
        Files.writeString(policy, "deny 127.0.0.0/8:8099 name=no-local-service\nallow *\n");
        for (String target : new String[] {"127.0.0.1:8099", "0.0.0.0:8099", "[::]:8099", "[::ffff:0.0.0.0]:8099"}) {
            Cli.Result result = Cli.run(dir, "policy", "explain", "--policy", policy.toString(), "alice", target);
            assertThat(result.exitCode()).as(target + ": " + result.stdout() + result.stderr()).isEqualTo(1);
            assertThat(result.stdout()).startsWith("deny ").contains("rule=no-local-service");
        }
        Cli.Result unspecified = Cli.run(dir, "policy", "explain", "--policy", policy.toString(), "alice", "0.0.0.0:80");
        assertThat(unspecified.exitCode()).isEqualTo(1);
        assertThat(unspecified.stdout()).contains("rule=unspecified-address").contains("the server itself");
        assertThat(Cli.run(dir, "policy", "explain", "--policy", policy.toString(), "alice", "127.0.0.1:80").exitCode()).isZero();
        for (String target : new String[] {"0177.0.0.1:8099", "127.1:8099", "2130706433:8099", "0x7f.1:8099"}) {
            expectError(Cli.run(dir, "policy", "explain", "--policy", policy.toString(), "alice", target), 2, "ambiguous numeric address");
        }
        Cli.Result privileged = Cli.run(dir, "policy", "explain", "--policy", policy.toString(), "--remote", "alice", "127.0.0.1:80");
        assertThat(privileged.exitCode()).isEqualTo(1);
        assertThat(privileged.stdout()).contains("rule=privileged-port");
    }

    @Test
    void connectRefusesAChangedOrRevokedHostKeyAsOpenSshDoesAndNeverSuggestsPinningIt() throws Exception {
        Path hostKey = dir.resolve("host");
        Path otherKey = dir.resolve("other");
        Path clientKey = dir.resolve("client");
        for (Path key : List.of(hostKey, otherKey, clientKey)) {
            assertThat(Cli.run(dir, "keygen", "-f", key.toString()).exitCode()).isZero();
        }
        int serverPort = Loopback.unusedPort();
        try (Cli.Running server = Cli.start(dir, "serve", "--listen", "tcp://127.0.0.1:" + serverPort,
                "--host-key", hostKey.toString(), "--authorized-keys", clientKey + ".pub")) {
            String presented = fingerprintIn(server.await("host key fingerprint", Duration.ofSeconds(60)));
            Path changed = dir.resolve("known_hosts-changed");
            Files.writeString(changed, "[127.0.0.1]:" + serverPort + " " + Files.readString(Path.of(otherKey + ".pub")));
            Cli.Result result = Cli.run(dir, "connect", "tcp://127.0.0.1:" + serverPort, "-i", clientKey.toString(),
                    "--known-hosts", changed.toString(), "--no-socks5", "--no-reconnect");
            expectError(result, 1, "HOST KEY CHANGED (remote host identification has changed)");
            assertThat(result.stderr()).contains("man-in-the-middle").doesNotContain("--host-key-fingerprint " + presented);

            Path revoked = dir.resolve("known_hosts-revoked");
            Files.writeString(revoked, "@revoked [127.0.0.1]:" + serverPort + " " + Files.readString(Path.of(hostKey + ".pub")));
            result = Cli.run(dir, "connect", "tcp://127.0.0.1:" + serverPort, "-i", clientKey.toString(),
                    "--known-hosts", revoked.toString(), "--no-socks5", "--no-reconnect");
            expectError(result, 1, "REVOKED HOST KEY DETECTED");
            assertThat(result.stderr()).doesNotContain("--host-key-fingerprint");
        }
    }

    @Test
    void serveAndConnectTunnelBytesAndStopOnSigterm() throws Exception {
        Path hostKey = dir.resolve("host");
        Path clientKey = dir.resolve("client");
        assertThat(Cli.run(dir, "keygen", "-f", hostKey.toString()).exitCode()).isZero();
        assertThat(Cli.run(dir, "keygen", "-f", clientKey.toString(), "-C", "carol").exitCode()).isZero();
        Path authorized = dir.resolve("authorized_keys");
        Files.copy(Path.of(clientKey + ".pub"), authorized);
        int serverPort = Loopback.unusedPort();
        int localPort = Loopback.unusedPort();
        try (Loopback.EchoServer echo = new Loopback.EchoServer();
             Cli.Running server = Cli.start(dir, "serve", "--listen", "tcp://127.0.0.1:" + serverPort,
                     "--host-key", hostKey.toString(), "--authorized-keys", authorized.toString())) {
            String banner = server.await("host key fingerprint", Duration.ofSeconds(60));
            assertThat(banner).contains("listening on tcp://127.0.0.1:" + serverPort);
            String fingerprint = fingerprintIn(banner);
            try (Cli.Running client = Cli.start(dir, "connect", "tcp://127.0.0.1:" + serverPort, "-i", clientKey.toString(),
                    "--host-key-fingerprint", fingerprint, "--no-socks5", "-L", localPort + ":127.0.0.1:" + echo.port())) {
                client.await("ready: -L 127.0.0.1:" + localPort, Duration.ofSeconds(60));
                byte[] payload = Loopback.randomBytes(500_000, 9);
                assertThat(Loopback.roundTrip(localPort, payload)).isEqualTo(payload);
                client.process.destroy(); // SIGTERM
                assertThat(client.process.waitFor(15, TimeUnit.SECONDS)).isTrue();
            }
            server.process.destroy();
            assertThat(server.process.waitFor(15, TimeUnit.SECONDS)).isTrue();
            assertThat(server.stderr()).contains("auth.success").contains("server.stopped");
        }
    }

    @Test
    void callAndOpsReachOperationsOverSshRawAndHttp() throws Exception {
        Path hostKey = dir.resolve("host");
        Path clientKey = dir.resolve("client");
        assertThat(Cli.run(dir, "keygen", "-f", hostKey.toString()).exitCode()).isZero();
        assertThat(Cli.run(dir, "keygen", "-f", clientKey.toString(), "-C", "carol").exitCode()).isZero();
        Path authorized = dir.resolve("authorized_keys");
        Files.writeString(authorized, "scopes=\"monitoring:read\" " + Files.readString(Path.of(clientKey + ".pub")));
        int serverPort = Loopback.unusedPort();
        int rawPort = Loopback.unusedPort();
        int httpPort = Loopback.unusedPort();
        try (Cli.Running server = Cli.start(dir, "serve", "--listen", "tcp://127.0.0.1:" + serverPort,
                "--raw-listen", "tcp://127.0.0.1:" + rawPort, "--http", "127.0.0.1:" + httpPort,
                "--host-key", hostKey.toString(), "--authorized-keys", authorized.toString())) {
            String banner = server.await("alknet: http address", Duration.ofSeconds(60));
            assertThat(banner).contains("listening on tcp://127.0.0.1:" + rawPort + " (raw)");
            String fingerprint = fingerprintIn(banner);
            String[] login = {"--server", "tcp://127.0.0.1:" + serverPort, "-i", clientKey.toString(), "--host-key-fingerprint", fingerprint};

            Cli.Result ping = Cli.run(dir, concat(new String[] {"call", "/health/ping"}, login));
            assertThat(ping.exitCode()).as(ping.stderr()).isZero();
            assertThat(ping.stdout()).contains("\"pong\" : true");
            Cli.Result status = Cli.run(dir, concat(new String[] {"call", "/server/status"}, login));
            assertThat(status.exitCode()).as(status.stderr()).isZero();
            assertThat(status.stdout()).contains("\"sessions\"").contains("\"configGeneration\"");
            Cli.Result schema = Cli.run(dir, concat(new String[] {"call", "/services/schema", "--json", "{\"path\":\"/health/ping\"}"}, login));
            assertThat(schema.stdout()).contains("\"path\" : \"/health/ping\"");

            Cli.Result missing = Cli.run(dir, concat(new String[] {"call", "/nope/missing"}, login));
            assertThat(missing.exitCode()).isEqualTo(1);
            assertThat(missing.stderr()).contains("alknet: OPERATION_NOT_FOUND: no operation /nope/missing").contains("alknet ops");
            Cli.Result invalid = Cli.run(dir, concat(new String[] {"call", "/services/schema", "--json", "{}"}, login));
            assertThat(invalid.exitCode()).isEqualTo(1);
            assertThat(invalid.stderr()).contains("VALIDATION_ERROR");
            expectError(Cli.run(dir, concat(new String[] {"call", "/health/ping", "--json", "{bad"}, login)), 2, "the input is not JSON");

            Cli.Result ops = Cli.run(dir, concat(new String[] {"ops"}, login));
            assertThat(ops.exitCode()).as(ops.stderr()).isZero();
            assertThat(ops.stdout()).contains("OPERATION").contains("/health/ping").containsPattern("/server/status +query +monitoring:read")
                    .doesNotContain("/server/reload");

            // raw framing, authenticated by a token signed with the same key
            Cli.Result raw = Cli.run(dir, "call", "/health/ping", "--interface", "raw", "--server", "tcp://127.0.0.1:" + rawPort,
                    "-i", clientKey.toString());
            assertThat(raw.exitCode()).as(raw.stderr()).isZero();
            assertThat(raw.stdout()).contains("\"pong\" : true");

            // HTTP with curl and the same kind of token
            String token = Cli.run(dir, "token", "-i", clientKey.toString()).stdout().strip();
            Process curl = new ProcessBuilder("curl", "-s", "-H", "Authorization: Bearer " + token, "-d", "{}",
                    "http://127.0.0.1:" + httpPort + "/v1/call/health/ping").redirectErrorStream(true).start();
            String body = new String(curl.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(curl.waitFor()).isZero();
            assertThat(body).startsWith("{\"data\":{\"pong\":true");
            assertThat(Cli.run(dir, "token", "--help").stdout()).as("token --help shows the request that works")
                    .contains("curl -H \"Authorization: Bearer $TOKEN\" -d '{}' http://127.0.0.1:8080/v1/call/health/ping");
        }
    }

    @Test
    void connectTlsThroughAStealthServerFromAConfigFileCarriesSocks5AndTheDecoyLooksLikeNginx() throws Exception {
        Path hostKey = dir.resolve("host");
        Path clientKey = dir.resolve("client");
        assertThat(Cli.run(dir, "keygen", "-f", hostKey.toString()).exitCode()).isZero();
        assertThat(Cli.run(dir, "keygen", "-f", clientKey.toString(), "-C", "carol").exitCode()).isZero();
        Files.copy(Path.of(clientKey + ".pub"), dir.resolve("authorized_keys"));
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", dir.resolve("key.pem").toString(), "-out", dir.resolve("cert.pem").toString(), "-days", "2", "-subj", "/CN=localhost")
                .redirectErrorStream(true).start();
        openssl.getInputStream().readAllBytes();
        assertThat(openssl.waitFor()).isZero();
        int tlsPort = Loopback.unusedPort();
        int socksPort = Loopback.unusedPort();
        Path config = dir.resolve("alknet.toml");
        Files.writeString(config, """
                [server]
                listen = "tls://127.0.0.1:%d"
                host_key = "host"

                [server.tls]
                cert = "cert.pem"
                key = "key.pem"
                stealth = true

                [auth]
                authorized_keys = "authorized_keys"
                """.formatted(tlsPort));
        com.sun.net.httpserver.HttpServer web = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        byte[] body = "through TLS\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        web.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            try (var out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        web.start();
        try (Cli.Running server = Cli.start(dir, "serve", "--config", config.toString())) {
            String banner = server.await("tls certificate fingerprint", Duration.ofSeconds(60));
            assertThat(banner).contains("listening on tls://127.0.0.1:" + tlsPort + " (ssh)").contains("tls stealth: on");
            String hostPin = fingerprintIn(banner.substring(banner.indexOf("ssh host key fingerprint")));
            String tlsPin = fingerprintIn(banner.substring(banner.indexOf("tls certificate fingerprint")));
            Process decoy = new ProcessBuilder("curl", "-sk", "-i", "https://127.0.0.1:" + tlsPort + "/").redirectErrorStream(true).start();
            String page = new String(decoy.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(decoy.waitFor()).isZero();
            assertThat(page).startsWith("HTTP/1.1 404 Not Found\r\nServer: nginx\r\n");
            try (Cli.Running client = Cli.start(dir, "connect", "tls://127.0.0.1:" + tlsPort, "-i", clientKey.toString(),
                    "--host-key-fingerprint", hostPin, "--tls-fingerprint", tlsPin, "-D", "127.0.0.1:" + socksPort)) {
                client.await("ready: -D 127.0.0.1:" + socksPort, Duration.ofSeconds(60));
                Process curl = new ProcessBuilder("curl", "-sS", "--fail", "--max-time", "20", "--socks5-hostname", "127.0.0.1:" + socksPort,
                        "http://localhost:" + web.getAddress().getPort() + "/").redirectErrorStream(true).start();
                String fetched = new String(curl.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                assertThat(curl.waitFor()).as(fetched).isZero();
                assertThat(fetched).isEqualTo("through TLS\n");
            }
        } finally {
            web.stop(0);
        }
    }

    /**
     * {@code serve --stealth --http}: the TLS port hands authenticated {@code /v1/} calls to the HTTP interface
     * in-process, and no connection (a visitor of the stealth port, or any local program on the HTTP port, e.g. a logged-in
     * user's tunnel) can make the audit log name another address with {@code X-Forwarded-For}.
     */
    @Test
    void stealthWithHttpAuditsTheRealClientAddressAndNoForwardedHeader() throws Exception {
        Path hostKey = dir.resolve("host");
        Path clientKey = dir.resolve("client");
        assertThat(Cli.run(dir, "keygen", "-f", hostKey.toString()).exitCode()).isZero();
        assertThat(Cli.run(dir, "keygen", "-f", clientKey.toString(), "-C", "carol").exitCode()).isZero();
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", dir.resolve("key.pem").toString(), "-out", dir.resolve("cert.pem").toString(), "-days", "2", "-subj", "/CN=localhost")
                .redirectErrorStream(true).start();
        openssl.getInputStream().readAllBytes();
        assertThat(openssl.waitFor()).isZero();
        int tlsPort = Loopback.unusedPort();
        int httpPort = Loopback.unusedPort();
        try (Cli.Running server = Cli.start(dir, "serve", "--listen", "tls://127.0.0.1:" + tlsPort, "--stealth",
                "--tls-cert", dir.resolve("cert.pem").toString(), "--tls-key", dir.resolve("key.pem").toString(),
                "--http", "127.0.0.1:" + httpPort, "--host-key", hostKey.toString(), "--authorized-keys", clientKey + ".pub")) {
            server.await("alknet: http address", Duration.ofSeconds(60));
            String token = Cli.run(dir, "token", "-i", clientKey.toString()).stdout().strip();

            // an authenticated call on the stealth port reaches the call protocol
            assertThat(curl("-sk", "-H", "Authorization: Bearer " + token, "-d", "{}", "https://127.0.0.1:" + tlsPort + "/v1/call/health/ping"))
                    .startsWith("{\"data\":{\"pong\":true");
            // a forged X-Forwarded-For straight to the HTTP interface from this host: refused, logged with the socket's address
            assertThat(curl("-s", "-o", "/dev/null", "-w", "%{http_code}", "-H", "X-Forwarded-For: 203.0.113.66",
                    "-H", "Authorization: Bearer alk_wrong", "-d", "{}", "http://127.0.0.1:" + httpPort + "/v1/call/health/ping"))
                    .isEqualTo("401");
            server.await("auth.failure remote_addr=127.0.0.1", Duration.ofSeconds(10));
            // the same through the stealth port from 127.0.0.2: nginx's 404, logged with 127.0.0.2
            assertThat(curl("-sk", "--interface", "127.0.0.2", "-o", "/dev/null", "-w", "%{http_code}", "-H", "X-Forwarded-For: 203.0.113.66",
                    "-H", "Authorization: Bearer alk_wrong", "-d", "{}", "https://127.0.0.1:" + tlsPort + "/v1/call/health/ping"))
                    .isEqualTo("404");
            server.await("auth.failure remote_addr=127.0.0.2", Duration.ofSeconds(10));
            assertThat(server.stdout() + server.stderr()).doesNotContain("203.0.113.66");
        }
    }

    private static String curl(String... arguments) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("curl", "--max-time", "20"));
        command.addAll(List.of(arguments));
        Process curl = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(curl.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(curl.waitFor()).as(output).isZero();
        return output;
    }

    static String[] concat(String[] first, String[] second) {
        String[] all = java.util.Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }

    @Test
    void demoOnceFetchesThroughTheTunnelAndExitsZero() throws Exception {
        Cli.Result result = Cli.run(dir, "demo", "--once");
        assertThat(result.exitCode()).as(result.stdout() + result.stderr()).isZero();
        assertThat(result.stdout()).contains("[5/5] fetched through the tunnel: Hello from the alknet demo");
    }

    @Test
    void everyCommandHasHelp() throws Exception {
        for (String command : new String[] {"serve", "connect", "call", "ops", "reload", "keygen", "apikey", "token", "plugins", "demo", "policy",
                "secret", "credentials", "account", "org", "credential"}) {
            Cli.Result result = Cli.run(dir, command, "--help");
            assertThat(result.exitCode()).isZero();
            assertThat(result.stdout()).contains("Usage: alknet " + command);
            assertThat(result.stderr()).as("alknet %s --help writes nothing to stderr (picocli warns there of a bad format)", command).isEmpty();
        }
        assertThat(Cli.run(dir, "connect", "--help").stdout()).contains("Examples:").contains("-L, --forward");
        assertThat(Cli.run(dir, "serve", "--help").stdout()).contains("link-local");
    }

    private static void expectError(Cli.Result result, int exitCode, String message) {
        assertThat(result.exitCode()).as("exit code; stderr: " + result.stderr()).isEqualTo(exitCode);
        assertThat(result.stderr()).doesNotContain("\tat ");
        assertThat(result.stderrLines()).filteredOn(line -> line.startsWith("error: ")).singleElement().asString().contains(message);
    }

    private static String fingerprintIn(String text) {
        Matcher matcher = FINGERPRINT.matcher(text);
        assertThat(matcher.find()).as("a fingerprint in: " + text).isTrue();
        return matcher.group();
    }
}
