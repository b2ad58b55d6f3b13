package io.alknet.cli;

import io.alknet.storage.AuditEntry;
import io.alknet.storage.Storage;
import io.alknet.storage.StorageOptions;
import io.alknet.testkit.Loopback;
import io.alknet.testkit.PostgresCluster;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Accounts in storage end to end, with the packaged command and the real OpenSSH client: a key stored only in the
 * database logs in; {@code alknet credential revoke}, run against the same database while the session is open,
 * closes the session (the server follows the storage's change stream and re-checks live sessions) and the next
 * login is refused, with an audit row and a fail2ban-compatible line.
 */
@ExtendWith(PostgresCluster.Extension.class)
class StorageCliTest {

    @TempDir
    Path dir;

    @Test
    void aKeyStoredOnlyInTheDatabaseLogsInAndItsRevocationClosesTheSessionAndRefusesTheNextLogin() throws Exception {
        Path host = dir.resolve("host");
        assertThat(Cli.run(dir, "keygen", "-f", host.toString()).exitCode()).isZero();
        Path user = dir.resolve("user");
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "alice@laptop", "-f", user.toString());
        Path database = dir.resolve("state").resolve("alknet.db");
        String storage = database.toString();

        Cli.Result account = Cli.run(dir, "account", "add", "alice@example.org", "--name", "Alice", "--storage", storage);
        assertThat(account.exitCode()).as(account.stderr()).isZero();
        Cli.Result added = Cli.run(dir, "credential", "add", "alice@example.org", "--key", user + ".pub", "--storage", storage);
        assertThat(added.exitCode()).as(added.stderr()).isZero();
        String fingerprint = added.stdout().strip();
        assertThat(fingerprint).startsWith("SHA256:");
        Cli.Result listed = Cli.run(dir, "account", "list", "--storage", storage);
        assertThat(listed.stdout()).contains("alice@example.org").contains("active").contains("relay:connect");

        int port = Loopback.unusedPort();
        Path log = dir.resolve("alknet.log");
        try (Loopback.EchoServer echo = new Loopback.EchoServer();
             Cli.Running server = Cli.start(dir, "serve", "--listen", "tcp://127.0.0.1:" + port, "--host-key", host.toString(),
                     "--storage", storage)) {
            server.await("server.listening", Duration.ofSeconds(60));
            assertThat(server.stdout()).doesNotContain("no client can log in");
            Path knownHosts = dir.resolve("known_hosts");
            Files.writeString(knownHosts, "[127.0.0.1]:" + port + " " + Files.readString(Path.of(host + ".pub")));

            int localPort = Loopback.unusedPort();
            List<String> command = OpenSshClient.command(user, knownHosts, port);
            command.addAll(List.of("-N", "-o", "ExitOnForwardFailure=yes", "-L", localPort + ":127.0.0.1:" + echo.port(), "alice@127.0.0.1"));
            Process session = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("ssh-1").toFile()).start();
            try {
                OpenSshClient.awaitListening(localPort, session);
                byte[] payload = Loopback.randomBytes(10_000, 1);
                assertThat(Loopback.roundTrip(localPort, payload)).isEqualTo(payload);

                Cli.Result revoked = Cli.run(dir, "credential", "revoke", fingerprint, "--reason", "laptop lost", "--storage", storage);
                assertThat(revoked.exitCode()).as(revoked.stderr()).isZero();
                long revokedAt = System.nanoTime();
                assertThat(session.waitFor(10, TimeUnit.SECONDS)).as("the revoked session is closed").isTrue();
                long closedAfter = Duration.ofNanos(System.nanoTime() - revokedAt).toMillis();
                System.out.println("storage revocation closed the live session " + closedAfter + " ms after 'credential revoke' returned");
                server.await("session.revoked", Duration.ofSeconds(10));
            } finally {
                session.destroy();
            }

            List<String> again = OpenSshClient.command(user, knownHosts, port);
            again.addAll(List.of("alice@127.0.0.1", "true"));
            Process refused = new ProcessBuilder(again).redirectErrorStream(true).start();
            String output = new String(refused.getInputStream().readAllBytes());
            assertThat(refused.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(output).contains("Permission denied");
            server.await("reason=credential_revoked", Duration.ofSeconds(10));

            Cli.Result twice = Cli.run(dir, "credential", "revoke", fingerprint, "--storage", storage);
            assertThat(twice.exitCode()).isEqualTo(ExitCodes.FAILED);
            server.process.destroy();
            assertThat(server.process.waitFor(15, TimeUnit.SECONDS)).isTrue();
            Files.writeString(log, server.stderr());
        }
        String written = Files.readString(log);
        assertThat(written).contains("auth.success").contains("session.revoked");
        Fail2banRegex.Result result = Fail2banRegex.run(log);
        assertThat(result.matched()).as(result.output()).singleElement().asString()
                .contains("auth.failure remote_addr=127.0.0.1 ").contains("method=publickey").contains("reason=credential_revoked");

        try (Storage opened = Storage.open(StorageOptions.of(storage))) {
            List<AuditEntry> audit = opened.accounts().auditLog(100);
            assertThat(audit).anySatisfy(entry -> {
                assertThat(entry.action()).isEqualTo("credential.revoked");
                assertThat(entry.details()).containsEntry("reason", "laptop lost").containsEntry("fingerprint", fingerprint);
            });
            assertThat(audit).anySatisfy(entry -> {
                assertThat(entry.action()).isEqualTo("auth.refused");
                assertThat(entry.details()).containsEntry("reason", "credential_revoked");
            });
        }
    }

    /** Two servers on one SQLite file: a suspension made with the CLI closes the sessions of both. */
    @Test
    void aSuspensionReachesEveryServerSharingTheDatabase() throws Exception {
        String storage = dir.resolve("shared.db").toString();
        suspensionReachesBothServers(List.of("--storage", storage), List.of("--storage", storage));
    }

    /**
     * Two servers behind one name share a PostgreSQL database (the cluster the tests start): a suspension made with the
     * CLI closes the account's sessions on both. The password comes from a file, never the URL.
     */
    @Test
    void onPostgresqlASuspensionReachesEveryServerSharingTheDatabase() throws Exception {
        Assumptions.assumeTrue(PostgresCluster.binaries().isPresent(), "PostgreSQL tests skipped: initdb and pg_ctl not found "
                + "(install Debian's postgresql package; .ci/prepare.sh does)");
        String url = PostgresCluster.current().newDatabase();
        Path password = dir.resolve("storage-password");
        Files.writeString(password, PostgresCluster.PASSWORD + "\n");
        suspensionReachesBothServers(
                List.of("--storage", url, "--storage-user", PostgresCluster.USER, "--storage-password-file", password.toString()),
                List.of("--storage", url, "--set", "identity.storage.user=" + PostgresCluster.USER,
                        "--set", "identity.storage.password-file=" + password));
    }

    private void suspensionReachesBothServers(List<String> cliStorage, List<String> serveStorage) throws Exception {
        Path host = dir.resolve("host");
        assertThat(Cli.run(dir, "keygen", "-f", host.toString()).exitCode()).isZero();
        Path user = dir.resolve("user");
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "bob", "-f", user.toString());
        Cli.Result account = Cli.run(dir, concat(List.of("account", "add", "bob@example.org"), cliStorage));
        assertThat(account.exitCode()).as(account.stderr()).isZero();
        assertThat(Cli.run(dir, concat(List.of("credential", "add", "bob@example.org", "--key", user + ".pub"), cliStorage)).exitCode()).isZero();
        Path knownHosts = dir.resolve("known_hosts");
        int first = Loopback.unusedPort();
        int second = Loopback.unusedPort();
        String hostKey = Files.readString(Path.of(host + ".pub"));
        Files.writeString(knownHosts, "[127.0.0.1]:" + first + " " + hostKey + "[127.0.0.1]:" + second + " " + hostKey);
        try (Loopback.EchoServer echo = new Loopback.EchoServer();
             Cli.Running one = Cli.start(dir, concat(List.of("serve", "--listen", "tcp://127.0.0.1:" + first, "--host-key", host.toString()),
                     serveStorage));
             Cli.Running two = Cli.start(dir, concat(List.of("serve", "--listen", "tcp://127.0.0.1:" + second, "--host-key", host.toString()),
                     serveStorage))) {
            one.await("server.listening", Duration.ofSeconds(60));
            two.await("server.listening", Duration.ofSeconds(60));
            List<Process> sessions = new java.util.ArrayList<>();
            try {
                for (int port : List.of(first, second)) {
                    int localPort = Loopback.unusedPort();
                    List<String> command = OpenSshClient.command(user, knownHosts, port);
                    command.addAll(List.of("-N", "-o", "ExitOnForwardFailure=yes", "-L", localPort + ":127.0.0.1:" + echo.port(), "bob@127.0.0.1"));
                    Process session = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("ssh-" + port).toFile()).start();
                    sessions.add(session);
                    OpenSshClient.awaitListening(localPort, session);
                    byte[] payload = Loopback.randomBytes(1000, port);
                    assertThat(Loopback.roundTrip(localPort, payload)).isEqualTo(payload);
                }
                Cli.Result suspended = Cli.run(dir, concat(List.of("account", "suspend", "bob@example.org"), cliStorage));
                assertThat(suspended.exitCode()).as(suspended.stderr()).isZero();
                for (Process session : sessions) {
                    assertThat(session.waitFor(10, TimeUnit.SECONDS)).as("the suspended account's session is closed").isTrue();
                }
                one.await("session.revoked", Duration.ofSeconds(10));
                two.await("session.revoked", Duration.ofSeconds(10));
            } finally {
                sessions.forEach(Process::destroy);
            }
            assertThat(one.stderr() + two.stderr()).doesNotContain(PostgresCluster.PASSWORD);
        }
    }

    private static String[] concat(List<String> first, List<String> second) {
        List<String> all = new java.util.ArrayList<>(first);
        all.addAll(second);
        return all.toArray(String[]::new);
    }

    @Test
    void theAccountCommandsSayWhatIsWrongWithTheProjectsExitCodes() throws Exception {
        String storage = dir.resolve("alknet.db").toString();
        Cli.Result noStorage = Cli.run(dir, "account", "list");
        assertThat(noStorage.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(noStorage.stderr()).contains("no storage given: pass --storage");

        assertThat(Cli.run(dir, "account", "add", "bob@example.org", "--storage", storage).exitCode()).isZero();
        Cli.Result duplicate = Cli.run(dir, "account", "add", "bob@example.org", "--storage", storage);
        assertThat(duplicate.exitCode()).isNotZero();
        assertThat(duplicate.stderr()).contains("error: storage refused the change");

        Cli.Result suspended = Cli.run(dir, "account", "suspend", "bob@example.org", "--storage", storage);
        assertThat(suspended.exitCode()).isZero();
        assertThat(Cli.run(dir, "account", "list", "--storage", storage).stdout()).contains("suspended");

        Cli.Result noOwner = Cli.run(dir, "org", "add", "ops", "--name", "Operations", "--owner", "nobody@example.org", "--storage", storage);
        assertThat(noOwner.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(noOwner.stderr()).contains("no account 'nobody@example.org'");
        assertThat(Cli.run(dir, "org", "add", "ops", "--name", "Operations", "--owner", "bob@example.org", "--storage", storage).exitCode()).isZero();
        assertThat(Cli.run(dir, "org", "list", "--storage", storage).stdout()).contains("ops").contains("Operations");

        Cli.Result neither = Cli.run(dir, "credential", "add", "bob@example.org", "--storage", storage);
        assertThat(neither.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(neither.stderr()).contains("give exactly one of --key FILE and --api-key");
        Cli.Result apiKey = Cli.run(dir, "credential", "add", "bob@example.org", "--api-key", "--storage", storage);
        assertThat(apiKey.exitCode()).isZero();
        assertThat(apiKey.stdout().strip()).startsWith("alk_").hasSize(36);
        String prefix = apiKey.stdout().strip().substring(0, 12);
        assertThat(Cli.run(dir, "credential", "revoke", prefix, "--reason", "rotated", "--storage", storage).exitCode()).isZero();
        Cli.Result again = Cli.run(dir, "credential", "revoke", prefix, "--storage", storage);
        assertThat(again.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(again.stderr()).contains("no active credential " + prefix);

        for (String command : List.of("account", "org", "credential")) {
            Cli.Result help = Cli.run(dir, command, "--help");
            assertThat(help.exitCode()).isZero();
            assertThat(help.stdout()).contains("Usage: alknet " + command).contains("Examples:");
        }
    }

    private void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }


}
