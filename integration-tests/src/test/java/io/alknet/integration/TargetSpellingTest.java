package io.alknet.integration;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.api.stream.TransportStream;
import io.alknet.defaults.BuiltIns;
import io.alknet.interfaces.ssh.OpenSshKeys;
import io.alknet.kernel.Alknet;
import io.alknet.kernel.AlknetClient;
import io.alknet.kernel.AlknetServer;
import io.alknet.kernel.FrontEndSpec;
import io.alknet.testkit.Loopback;
import io.alknet.testkit.Socks5Client;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every spelling of "the server itself" meets a policy that denies a local service on loopback, through
 * each way a target reaches the server: the alknet client's channels, its SOCKS5 front end, and OpenSSH's
 * {@code ssh -L}. Unspecified addresses ({@code 0.0.0.0}, {@code ::}, {@code ::ffff:0.0.0.0}) are the
 * server itself and denied with loopback; ambiguous numeric forms ({@code 127.1}, {@code 2130706433}, …) are
 * refused as such, never guessed. The services listen on 127.0.0.1 and ::1 only.
 */
class TargetSpellingTest {

    private static final String DENIED_BY_RULE = "denied by rule";
    private static final String AMBIGUOUS = "ambiguous numeric address";

    @TempDir
    Path dir;

    private Fixture fixture;

    @BeforeEach
    void keys() throws Exception {
        fixture = new Fixture(dir);
    }

    /** Each spelling with the port of the service it would reach, and the refusal it must get instead. */
    private static Map<String, String> spellings(int v4, int v6) {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("127.0.0.1:" + v4, DENIED_BY_RULE);
        expected.put("0.0.0.0:" + v4, DENIED_BY_RULE);
        expected.put("0.1.2.3:" + v4, DENIED_BY_RULE);
        expected.put("[::]:" + v6, DENIED_BY_RULE);
        expected.put("[::ffff:0.0.0.0]:" + v4, DENIED_BY_RULE);
        expected.put("127.1:" + v4, AMBIGUOUS);
        expected.put("2130706433:" + v4, AMBIGUOUS);
        expected.put("127.000.000.001:" + v4, AMBIGUOUS);
        expected.put("0x7f.1:" + v4, AMBIGUOUS);
        expected.put("127.0.0.1.:" + v4, AMBIGUOUS);
        return expected;
    }

    private Path policy(int v4, int v6) throws Exception {
        Path policy = dir.resolve("policy.rules");
        Files.writeString(policy, "deny 127.0.0.0/8:" + v4 + "," + v6 + " name=no-local-service\nallow *\n");
        return policy;
    }

    @Test
    void alknetChannelsAndSocks5AreRefusedForEverySpelling() throws Exception {
        try (Loopback.EchoServer v4 = new Loopback.EchoServer();
             Loopback.EchoServer v6 = new Loopback.EchoServer(InetAddress.ofLiteral("::1"));
             Loopback.EchoServer allowed = new Loopback.EchoServer();
             AlknetServer server = Alknet.server(fixture.server().setting(BuiltIns.POLICY_FILE, policy(v4.port(), v6.port())).build());
             AlknetClient client = Alknet.client(fixture.client(server).frontEnd(BuiltIns.socks5("127.0.0.1:0")).build())) {
            int socks = ((java.net.InetSocketAddress) client.frontEndAddresses().getFirst().getFirst()).getPort();
            for (Map.Entry<String, String> spelling : spellings(v4.port(), v6.port()).entrySet()) {
                String host = host(spelling.getKey());
                int port = port(spelling.getKey());
                assertThatThrownBy(() -> client.tunnel().openChannel(host, port).toCompletableFuture().join())
                        .as(spelling.getKey())
                        .isInstanceOf(CompletionException.class)
                        .cause().isInstanceOf(AlknetException.class)
                        .hasMessageContaining("administratively prohibited: " + spelling.getValue())
                        .satisfies(e -> assertThat(((AlknetException) e).code()).isEqualTo(ErrorCode.FORWARD_DENIED));
                try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), socks)) {
                    socket.setSoTimeout(15_000);
                    assertThat(Socks5Client.handshake(socket, host, port)).as("SOCKS5 reply for %s", spelling.getKey())
                            .isEqualTo(2); // connection not allowed by ruleset
                }
            }
            TransportStream open = client.tunnel().openChannel("127.0.0.1", allowed.port()).toCompletableFuture().join();
            assertThat(open.isOpen()).as("other loopback services stay reachable").isTrue();
            open.close();
        }
    }

    @Test
    void openSshLocalForwardsAreRefusedForEverySpelling() throws Exception {
        OpenSsh.requireInstalled();
        try (Loopback.EchoServer v4 = new Loopback.EchoServer();
             Loopback.EchoServer v6 = new Loopback.EchoServer(InetAddress.ofLiteral("::1"));
             Loopback.EchoServer allowed = new Loopback.EchoServer();
             AlknetServer server = Alknet.server(fixture.server().setting(BuiltIns.POLICY_FILE, policy(v4.port(), v6.port())).build())) {
            int port = server.listenAddresses().getFirst().port();
            Path knownHosts = OpenSsh.knownHosts(dir, port, OpenSshKeys.publicKeyLine(fixture.host.getPublic(), ""));
            Map<String, String> spellings = spellings(v4.port(), v6.port());
            List<Integer> localPorts = new ArrayList<>();
            List<String> command = OpenSsh.clientBase(fixture.clientKey, knownHosts, port);
            command.add("-N");
            for (String target : spellings.keySet()) {
                int local = Loopback.unusedPort();
                localPorts.add(local);
                command.addAll(List.of("-L", local + ":" + target));
            }
            int allowedLocal = Loopback.unusedPort();
            command.addAll(List.of("-L", allowedLocal + ":127.0.0.1:" + allowed.port(), "alice@127.0.0.1"));
            try (OpenSsh.Running ssh = OpenSsh.start(command, dir, "ssh-spellings")) {
                OpenSsh.awaitListening(allowedLocal, ssh, Duration.ofSeconds(20));
                int index = 0;
                for (Map.Entry<String, String> spelling : spellings.entrySet()) {
                    int before = occurrences(ssh.stderr(), "administratively prohibited: " + spelling.getValue());
                    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), localPorts.get(index++))) {
                        socket.setSoTimeout(15_000);
                        assertThat(answer(socket)).as("what %s answered", spelling.getKey()).isEmpty();
                    }
                    awaitMore(ssh, "administratively prohibited: " + spelling.getValue(), before);
                }
                byte[] payload = Loopback.randomBytes(50_000, 9);
                assertThat(Loopback.roundTrip(allowedLocal, payload)).isEqualTo(payload);
            }
        }
    }

    /** What the far end answers to a question; ssh may end a refused forward with a reset. */
    private static byte[] answer(Socket socket) throws java.io.IOException {
        try {
            socket.getOutputStream().write("are you the local service?".getBytes());
            socket.shutdownOutput();
            return socket.getInputStream().readAllBytes();
        } catch (java.net.SocketException reset) {
            return new byte[0];
        }
    }

    private static String host(String target) {
        String host = target.substring(0, target.lastIndexOf(':'));
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    private static int port(String target) {
        return Integer.parseInt(target.substring(target.lastIndexOf(':') + 1));
    }

    private static int occurrences(String text, String what) {
        int count = 0;
        for (int at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + 1)) {
            count++;
        }
        return count;
    }

    private static void awaitMore(OpenSsh.Running running, String text, int before) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline && occurrences(running.stderr(), text) <= before) {
            Thread.sleep(50);
        }
        assertThat(occurrences(running.stderr(), text)).as("ssh reported: %s", running.stderr()).isGreaterThan(before);
    }
}
