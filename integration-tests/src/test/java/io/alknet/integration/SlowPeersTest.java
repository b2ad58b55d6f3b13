package io.alknet.integration;

import io.alknet.api.interfaces.HostKeyVerification;
import io.alknet.api.transport.TransportAddress;
import io.alknet.defaults.BuiltIns;
import io.alknet.interfaces.ssh.OpenSshKeys;
import io.alknet.kernel.Alknet;
import io.alknet.kernel.AlknetClient;
import io.alknet.kernel.AlknetServer;
import io.alknet.kernel.ClientOptions;
import io.alknet.kernel.FrontEndSpec;
import io.alknet.kernel.ReconnectPolicy;
import io.alknet.kernel.ServerOptions;
import io.alknet.testkit.Loopback;
import io.alknet.testkit.SlowPeers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * No byte is lost at the end of a transfer when one end is slower than the tunnel (issue 19): a source sends
 * its body at full speed and closes at once while a reader takes it at a fixed pace, or a writer half-closes
 * while the target reads at a fixed pace; the SHA-256 of what arrived is compared with what was sent, in both
 * directions, through {@code -L}, {@code -R} and SOCKS5 (real curl with {@code --limit-rate}), over tcp, tls and
 * iroh, and through OpenSSH's sshd; no socket is left in CLOSE-WAIT afterwards.
 *
 * <p>System properties scale it into a soak ({@code bench/slow-peers.sh}): {@code alknet.slow.bytes} (default
 * 8 MiB), {@code alknet.slow.rate} (bytes per second of the slow end, default 4 MiB), {@code alknet.slow.repeat}
 * (transfers per case, default 1) and {@code alknet.slow.parallel} (at once, default 1).
 */
class SlowPeersTest {

    private static final int BYTES = Integer.getInteger("alknet.slow.bytes", 8 << 20);
    private static final long RATE = Long.getLong("alknet.slow.rate", 4L << 20);
    private static final int REPEAT = Integer.getInteger("alknet.slow.repeat", 1);
    private static final int PARALLEL = Integer.getInteger("alknet.slow.parallel", 1);

    @TempDir
    Path dir;

    private Fixture fixture;
    private byte[] body;

    @BeforeAll
    static void tools() {
        OpenSsh.requireInstalled();
    }

    @BeforeEach
    void keys() throws Exception {
        fixture = new Fixture(dir);
        body = Loopback.randomBytes(BYTES, 19);
    }

    private ServerOptions.Builder server(String transport) throws Exception {
        return switch (transport) {
            case "tcp" -> fixture.server();
            case "tls" -> {
                Path cert = dir.resolve("cert.pem");
                Path key = dir.resolve("key.pem");
                Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                        "-nodes", "-keyout", key.toString(), "-out", cert.toString(), "-days", "2", "-subj", "/CN=localhost")
                        .redirectErrorStream(true).start();
                String output = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(openssl.waitFor(60, TimeUnit.SECONDS) && openssl.exitValue() == 0).as(output).isTrue();
                yield fixture.server().listen(BuiltIns.ssh("tls://127.0.0.1:0"))
                        .setting("transport.tls.cert", cert.toString()).setting("transport.tls.key", key.toString());
            }
            case "iroh" -> {
                String unavailable = new io.alknet.transport.iroh.internal.IrohTransportFactory().unavailableReason().orElse(null);
                assumeTrue(unavailable == null, () -> "iroh unavailable: " + unavailable);
                yield fixture.server().listen(BuiltIns.ssh("iroh://127.0.0.1:0")).setting("transport.iroh.relay", "none");
            }
            default -> throw new IllegalArgumentException(transport);
        };
    }

    private ClientOptions.Builder client(AlknetServer server, String transport) {
        TransportAddress address = server.listenAddresses().stream().filter(a -> a.scheme().equals(transport)).findFirst().orElseThrow();
        ClientOptions.Builder builder = BuiltIns.client(address)
                .identity(fixture.clientKey)
                .user("alice")
                .stateDirectory(dir.resolve("client-state"))
                .reconnect(ReconnectPolicy.NEVER)
                .hostKeys(new HostKeyVerification.Pinned(List.of(OpenSshKeys.fingerprint(fixture.host.getPublic()))));
        return switch (transport) {
            case "tls" -> builder.setting("transport.tls.fingerprint", server.info().get("tls.certificate-fingerprint"));
            case "iroh" -> builder.setting("transport.iroh.relay", "none");
            default -> builder;
        };
    }

    private static int frontEndPort(AlknetClient client) {
        return ((InetSocketAddress) client.frontEndAddresses().getFirst().getFirst()).getPort();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tcp", "tls", "iroh"})
    void downloadThroughALocalForwardToASlowReader(String transport) throws Exception {
        try (SlowPeers.Source source = new SlowPeers.Source(body, false);
             AlknetServer server = Alknet.server(server(transport).build());
             AlknetClient client = Alknet.client(client(server, transport)
                     .frontEnd(BuiltIns.localForward("0:127.0.0.1:" + source.port())).build())) {
            int local = frontEndPort(client);
            expectDownloads(() -> SlowPeers.download(local, RATE));
            assertThat(SlowPeers.closeWait(10, local, source.port())).as("sockets left in CLOSE-WAIT").isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tcp", "tls", "iroh"})
    void uploadThroughALocalForwardToASlowTarget(String transport) throws Exception {
        try (SlowPeers.Sink sink = new SlowPeers.Sink(RATE);
             AlknetServer server = Alknet.server(server(transport).build());
             AlknetClient client = Alknet.client(client(server, transport)
                     .frontEnd(BuiltIns.localForward("0:127.0.0.1:" + sink.port())).build())) {
            int local = frontEndPort(client);
            expectUploads(() -> SlowPeers.upload(local, body));
            assertThat(SlowPeers.closeWait(10, local, sink.port())).as("sockets left in CLOSE-WAIT").isEmpty();
        }
    }

    /**
     * The real tool users run. (curl takes a body this size into its own socket buffers before the tunnel feels
     * its limit, so it did not lose bytes before the fix either; the tests with slow readers above did.)
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tcp", "tls", "iroh"})
    void curlWithALimitRateDownloadsThroughSocks5(String transport) throws Exception {
        try (SlowPeers.Source source = new SlowPeers.Source(body, true);
             AlknetServer server = Alknet.server(server(transport).build());
             AlknetClient client = Alknet.client(client(server, transport).frontEnd(BuiltIns.socks5("127.0.0.1:0")).build())) {
            int socks = frontEndPort(client);
            int[] n = {0};
            expectDownloads(() -> {
                Path out;
                synchronized (n) {
                    out = dir.resolve("curl-" + n[0]++);
                }
                // curl's limit is an average with bursts: a quarter of the rate keeps it slower than the tunnel
                Process curl = new ProcessBuilder("curl", "-sS", "--fail", "--max-time", "600", "--limit-rate", Long.toString(RATE / 4),
                        "--socks5-hostname", "127.0.0.1:" + socks, "-o", out.toString(), "http://localhost:" + source.port() + "/")
                        .redirectErrorStream(true).start();
                String output = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(curl.waitFor(630, TimeUnit.SECONDS)).isTrue();
                assertThat(curl.exitValue()).as("curl: " + output).isZero();
                byte[] fetched = Files.readAllBytes(out);
                Files.delete(out);
                return new SlowPeers.Read(fetched.length, SlowPeers.sha256(fetched));
            });
            assertThat(SlowPeers.closeWait(10, socks, source.port())).as("sockets left in CLOSE-WAIT").isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tcp", "tls", "iroh"})
    void downloadThroughARemoteForwardToASlowReader(String transport) throws Exception {
        int remote = Loopback.unusedPort();
        try (SlowPeers.Source source = new SlowPeers.Source(body, false);
             AlknetServer server = Alknet.server(server(transport).build());
             AlknetClient client = Alknet.client(client(server, transport)
                     .frontEnd(BuiltIns.remoteForward(remote + ":127.0.0.1:" + source.port())).build())) {
            assertThat(client.connected()).isTrue();
            expectDownloads(() -> SlowPeers.download(remote, RATE));
            assertThat(SlowPeers.closeWait(10, remote, source.port())).as("sockets left in CLOSE-WAIT").isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tcp", "tls", "iroh"})
    void uploadThroughARemoteForwardToASlowTarget(String transport) throws Exception {
        int remote = Loopback.unusedPort();
        try (SlowPeers.Sink sink = new SlowPeers.Sink(RATE);
             AlknetServer server = Alknet.server(server(transport).build());
             AlknetClient client = Alknet.client(client(server, transport)
                     .frontEnd(BuiltIns.remoteForward(remote + ":127.0.0.1:" + sink.port())).build())) {
            assertThat(client.connected()).isTrue();
            expectUploads(() -> SlowPeers.upload(remote, body));
            assertThat(SlowPeers.closeWait(10, remote, sink.port())).as("sockets left in CLOSE-WAIT").isEmpty();
        }
    }

    /**
     * A target that resets the connection halfway: the application on the other end of the tunnel gets a reset
     * too, never a clean end of a truncated download (the server aborts the channel, CLOSE without EOF, and the
     * client resets its local connection).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tcp", "tls", "iroh"})
    void aResetMidDownloadReachesTheApplicationAsAReset(String transport) throws Exception {
        try (SlowPeers.Resetter source = new SlowPeers.Resetter(body, body.length / 2);
             AlknetServer server = Alknet.server(server(transport).build());
             AlknetClient client = Alknet.client(client(server, transport)
                     .frontEnd(BuiltIns.localForward("0:127.0.0.1:" + source.port())).build())) {
            int local = frontEndPort(client);
            assertThatThrownBy(() -> SlowPeers.download(local, RATE)).as("what the application's read ends with")
                    .isInstanceOf(java.net.SocketException.class).hasMessageContaining("reset");
            assertThat(SlowPeers.closeWait(10, local, source.port())).as("sockets left in CLOSE-WAIT").isEmpty();
        }
    }

    /** An application that resets its upload halfway: the target sees a reset too, never a clean end. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tcp", "tls", "iroh"})
    void aResetMidUploadReachesTheTargetAsAReset(String transport) throws Exception {
        try (SlowPeers.Sink sink = new SlowPeers.Sink(RATE);
             AlknetServer server = Alknet.server(server(transport).build());
             AlknetClient client = Alknet.client(client(server, transport)
                     .frontEnd(BuiltIns.localForward("0:127.0.0.1:" + sink.port())).build())) {
            int local = frontEndPort(client);
            SlowPeers.uploadThenReset(local, body, body.length / 2);
            assertThat(sink.nextEnd(60)).as("how the target's input ended").startsWith("error:");
            assertThat(SlowPeers.closeWait(10, local, sink.port())).as("sockets left in CLOSE-WAIT").isEmpty();
        }
    }

    /** The same through a stock OpenSSH server: the client's half of the tunnel must not lose the tail either. */
    @Test
    void bothWaysThroughALocalForwardOfOpenSshsServer() throws Exception {
        Path sshdHostKey = dir.resolve("sshd_host_key");
        KeyPair sshdHost = OpenSshKeys.generate(sshdHostKey, "sshd");
        int port = Loopback.unusedPort();
        Path knownHosts = OpenSsh.knownHosts(dir, port, OpenSshKeys.publicKeyLine(sshdHost.getPublic(), ""));
        try (SlowPeers.Source source = new SlowPeers.Source(body, false);
             SlowPeers.Sink sink = new SlowPeers.Sink(RATE);
             OpenSsh.Running sshd = OpenSsh.sshd(dir, port, sshdHostKey, fixture.authorizedKeys);
             AlknetClient client = Alknet.client(BuiltIns.client(TransportAddress.of("tcp", "127.0.0.1", port))
                     .identity(fixture.clientKey)
                     .user(System.getProperty("user.name"))
                     .hostKeys(new HostKeyVerification.KnownHosts(knownHosts))
                     .stateDirectory(dir.resolve("client-state"))
                     .reconnect(ReconnectPolicy.NEVER)
                     .frontEnd(BuiltIns.localForward("0:127.0.0.1:" + source.port()))
                     .frontEnd(BuiltIns.localForward("0:127.0.0.1:" + sink.port()))
                     .build())) {
            int download = ((InetSocketAddress) client.frontEndAddresses().get(0).getFirst()).getPort();
            int upload = ((InetSocketAddress) client.frontEndAddresses().get(1).getFirst()).getPort();
            expectDownloads(() -> SlowPeers.download(download, RATE));
            expectUploads(() -> SlowPeers.upload(upload, body));
            assertThat(SlowPeers.closeWait(10, download, upload, source.port(), sink.port())).as("sockets left in CLOSE-WAIT").isEmpty();
        }
    }

    private void expectDownloads(Callable<SlowPeers.Read> transfer) throws Exception {
        String expected = SlowPeers.sha256(body);
        List<SlowPeers.Read> reads = repeat(transfer);
        for (SlowPeers.Read read : reads) {
            assertThat(read.count()).as("bytes the slow reader got").isEqualTo(body.length);
            assertThat(read.sha256()).isEqualTo(expected);
        }
        System.out.printf("slow reader: %d of %d transfers of %d bytes intact%n", reads.size(), REPEAT, body.length);
    }

    private void expectUploads(Callable<String> transfer) throws Exception {
        String expected = SlowPeers.sha256(body);
        List<String> answers = repeat(transfer);
        assertThat(answers).as("the SHA-256 the slow target read").containsOnly(expected).hasSize(REPEAT);
        System.out.printf("slow target: %d of %d transfers of %d bytes intact%n", answers.size(), REPEAT, body.length);
    }

    /** Runs {@code transfer} {@link #REPEAT} times, at most {@link #PARALLEL} at once; every failure is reported. */
    private static <T> List<T> repeat(Callable<T> transfer) throws Exception {
        Semaphore slots = new Semaphore(PARALLEL);
        List<Future<T>> runs = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < REPEAT; i++) {
                runs.add(threads.submit(() -> {
                    slots.acquire();
                    try {
                        return transfer.call();
                    } finally {
                        slots.release();
                    }
                }));
            }
        }
        List<T> results = new ArrayList<>();
        for (Future<T> run : runs) {
            results.add(run.get());
        }
        return results;
    }
}
