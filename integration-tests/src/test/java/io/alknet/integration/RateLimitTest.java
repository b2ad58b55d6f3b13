package io.alknet.integration;

import io.alknet.kernel.Alknet;
import io.alknet.kernel.AlknetServer;
import io.alknet.kernel.ServerLimits;
import io.alknet.interfaces.ssh.OpenSshKeys;
import io.alknet.testkit.Loopback;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The penalty box with the real OpenSSH client from two loopback source addresses: 100 rapid failed logins
 * from 127.0.0.1 get that address refused for the configured penalty, while 127.0.0.2 logs in and forwards
 * all along; once the penalty has run out, 127.0.0.1 is welcome again.
 */
class RateLimitTest {

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
        LogCapture.clear();
    }

    @Test
    void rapidFailedLoginsAreRefusedForThePenaltyWhileAnotherAddressLogsIn() throws Exception {
        Path stranger = dir.resolve("stranger");
        OpenSshKeys.generate(stranger, "stranger");
        ServerLimits.Penalties penalties = ServerLimits.Penalties.parse("authfail:2s noauth:1s min:4s max:8s");
        try (Loopback.EchoServer echo = new Loopback.EchoServer();
             AlknetServer server = Alknet.server(fixture.server().penalties(penalties).build())) {
            int port = server.listenAddresses().getFirst().port();
            Path knownHosts = OpenSsh.knownHosts(dir, port, OpenSshKeys.publicKeyLine(fixture.host.getPublic(), ""));

            int failedExits = 0;
            for (int i = 0; i < 100; i++) {
                List<String> command = OpenSsh.clientBase(stranger, knownHosts, port);
                command.addAll(List.of("-b", "127.0.0.1", "-o", "ConnectTimeout=5", "alice@127.0.0.1", "true"));
                Process ssh = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                assertThat(ssh.waitFor(20, TimeUnit.SECONDS)).isTrue();
                if (ssh.exitValue() == 255) {
                    failedExits++;
                }
            }
            assertThat(failedExits).isEqualTo(100);
            assertThat(LogCapture.matching("ratelimit.penalty")).anySatisfy(line ->
                    assertThat(line).contains("remote_addr=127.0.0.1 ").contains("reason=authfail"));
            List<String> refused = LogCapture.matching("reason=penalty");
            assertThat(refused).allSatisfy(line -> assertThat(line).contains("connection.rejected remote_addr=127.0.0.1 "));
            assertThat(refused.size()).as("most of the 100 never reached authentication").isGreaterThan(80);
            assertThat(LogCapture.matching("auth.failure").size()).isLessThan(20);

            // while 127.0.0.1 sits in the penalty box, 127.0.0.2 logs in and forwards
            assertThat(forwardsFrom("127.0.0.2", fixture.clientKey, knownHosts, port, echo)).isTrue();
            // and 127.0.0.1 is refused even with the right key
            assertThat(forwardsFrom("127.0.0.1", fixture.clientKey, knownHosts, port, echo)).isFalse();

            // the penalty runs out (at most 8s here), then the address is welcome again
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            boolean welcomeAgain = false;
            while (!welcomeAgain && System.nanoTime() < deadline) {
                Thread.sleep(1000);
                welcomeAgain = forwardsFrom("127.0.0.1", fixture.clientKey, knownHosts, port, echo);
            }
            assertThat(welcomeAgain).isTrue();
        }
    }

    /** Runs {@code ssh -b SOURCE -L …}; true when it logged in and a round trip went through the forward. */
    private boolean forwardsFrom(String source, Path key, Path knownHosts, int port, Loopback.EchoServer echo) throws Exception {
        int localPort = Loopback.unusedPort();
        List<String> command = new ArrayList<>(OpenSsh.clientBase(key, knownHosts, port));
        command.addAll(List.of("-b", source, "-N", "-o", "ExitOnForwardFailure=yes",
                "-L", localPort + ":127.0.0.1:" + echo.port(), "alice@127.0.0.1"));
        try (OpenSsh.Running ssh = OpenSsh.start(command, dir, "ssh-" + source + "-" + localPort)) {
            try {
                OpenSsh.awaitListening(localPort, ssh, Duration.ofSeconds(20));
            } catch (IllegalStateException refused) {
                return false; // ssh exited: not logged in
            }
            byte[] payload = Loopback.randomBytes(10_000, localPort);
            return java.util.Arrays.equals(Loopback.roundTrip(localPort, payload), payload);
        }
    }
}
