package io.alknet.integration;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * SSH over iroh in one process, relays disabled: curl through SOCKS5 over an {@code iroh://} session, and the
 * dialing endpoint's id reaching the identity provider: an {@code authorized_keys} line bound with
 * {@code iroh-endpoint="ID"} logs in from that endpoint only.
 */
class IrohTunnelTest {

    @TempDir
    Path dir;

    private Fixture fixture;

    @BeforeEach
    void keys() throws Exception {
        String unavailable = new io.alknet.transport.iroh.internal.IrohTransportFactory().unavailableReason().orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(unavailable == null, () -> "iroh unavailable: " + unavailable);
        fixture = new Fixture(dir);
    }

    /** Gives a client state directory a known iroh secret key and returns its endpoint id (the Ed25519 public key). */
    private static String irohKey(Path stateDirectory, byte seedByte) throws Exception {
        byte[] seed = new byte[32];
        Arrays.fill(seed, seedByte);
        Files.createDirectories(stateDirectory);
        Files.writeString(stateDirectory.resolve("iroh_secret_key"), HexFormat.of().formatHex(seed) + "\n");
        KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
        generator.initialize(NamedParameterSpec.ED25519, new SecureRandom() {
            @Override
            public void nextBytes(byte[] bytes) {
                System.arraycopy(seed, 0, bytes, 0, bytes.length); // the seed is the private key
            }
        });
        byte[] encoded = generator.generateKeyPair().getPublic().getEncoded(); // X.509: the raw key is the last 32 bytes
        return HexFormat.of().formatHex(Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length));
    }

    private ServerOptions.Builder irohServer() {
        return fixture.server().setting("transport.iroh.relay", "none").listen(BuiltIns.ssh("iroh://127.0.0.1:0"));
    }

    private ClientOptions.Builder irohClient(AlknetServer server, Path stateDirectory) {
        TransportAddress address = server.listenAddresses().stream().filter(a -> a.scheme().equals("iroh")).findFirst().orElseThrow();
        return BuiltIns.client(address)
                .identity(fixture.clientKey)
                .user("alice")
                .stateDirectory(stateDirectory)
                .setting("transport.iroh.relay", "none")
                .reconnect(ReconnectPolicy.NEVER)
                .hostKeys(new HostKeyVerification.Pinned(List.of(OpenSshKeys.fingerprint(fixture.host.getPublic()))));
    }

    @Test
    void curlThroughSocks5OverAnIrohSessionAndTheEndpointIdBindsTheKey() throws Exception {
        Path aliceState = dir.resolve("alice-state");
        String aliceEndpoint = irohKey(aliceState, (byte) 7);
        String line = Files.readString(fixture.authorizedKeys).strip();
        Files.writeString(fixture.authorizedKeys, "iroh-endpoint=\"" + aliceEndpoint + "\" " + line + "\n");
        byte[] body = Loopback.randomBytes(300_000, 11);
        try (TestWeb web = new TestWeb(body); AlknetServer server = Alknet.server(irohServer().build())) {
            assertThat(server.info().get("iroh.address")).startsWith("iroh://").contains("?addr=127.0.0.1:");
            try (AlknetClient client = Alknet.client(irohClient(server, aliceState).frontEnd(BuiltIns.socks5("127.0.0.1:0")).build())) {
                InetSocketAddress socks = (InetSocketAddress) client.frontEndAddresses().getFirst().getFirst();
                Path out = dir.resolve("fetched");
                Process curl = new ProcessBuilder("curl", "-sS", "--fail", "--max-time", "30", "--socks5-hostname",
                        "127.0.0.1:" + socks.getPort(), "-o", out.toString(), "http://localhost:" + web.port() + "/")
                        .redirectErrorStream(true).start();
                String output = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(curl.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(curl.exitValue()).as(output).isZero();
                assertThat(Files.readAllBytes(out)).isEqualTo(body);
            }

            // the same SSH key from another iroh endpoint: the provider sees that endpoint's id and refuses
            Path otherState = dir.resolve("other-state");
            irohKey(otherState, (byte) 8);
            assertThatThrownBy(() -> Alknet.client(irohClient(server, otherState).build()))
                    .isInstanceOf(AlknetException.class)
                    .satisfies(e -> assertThat(((AlknetException) e).code()).isEqualTo(ErrorCode.AUTH_REJECTED));
            // and over plain TCP, where no endpoint id is proven, the bound key does not log in either
            assertThatThrownBy(() -> Alknet.client(fixture.client(server).reconnect(ReconnectPolicy.NEVER).build()))
                    .isInstanceOf(AlknetException.class)
                    .satisfies(e -> assertThat(((AlknetException) e).code()).isEqualTo(ErrorCode.AUTH_REJECTED));
        }
    }
}
