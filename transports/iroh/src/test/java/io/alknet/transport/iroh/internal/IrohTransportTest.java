package io.alknet.transport.iroh.internal;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.api.plugin.Settings;
import io.alknet.api.stream.StreamHandler;
import io.alknet.api.stream.TransportStream;
import io.alknet.api.transport.Listener;
import io.alknet.api.transport.SecurityLevel;
import io.alknet.api.transport.Transport;
import io.alknet.api.transport.TransportAddress;
import io.alknet.testkit.contract.Received;
import io.alknet.testkit.contract.TestPluginContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The iroh transport on loopback with relays disabled: a stable endpoint id, peer ids as transport identity,
 * refusals with clear errors (wrong id, malformed id) and clean failures when the endpoint closes under open
 * streams or the peer process dies mid-transfer.
 */
class IrohTransportTest {

    @BeforeAll
    static void nativeLibrary() {
        NativeAvailable.assume();
    }

    /** The pure-Rust peer built with the library (native/build.sh). */
    private static final Path PEER = Path.of("target", "native-bin", "alknet-iroh-bench");

    @TempDir
    Path dir;

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void close() {
        for (AutoCloseable resource : resources.reversed()) {
            try {
                resource.close();
            } catch (Exception ignored) {
                // best effort
            }
        }
    }

    private IrohTransport transport(String name, Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>(Map.of("relay", "none"));
        settings.putAll(extra);
        IrohTransport transport = (IrohTransport) new IrohTransportFactory().create(Settings.of("transport.iroh.", settings),
                TestPluginContext.in(dir.resolve(name)));
        transport.start();
        resources.add(transport);
        return transport;
    }

    private IrohTransport transport(String name) {
        return transport(name, Map.of());
    }

    private Listener listen(Transport transport) throws Exception {
        Listener listener = transport.listen(TransportAddress.of("iroh", "127.0.0.1", 0)).toCompletableFuture().get(30, TimeUnit.SECONDS);
        resources.add(listener);
        return listener;
    }

    private static <T> T await(java.util.concurrent.CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** The failure of a stage that must fail. */
    private static Throwable failure(java.util.concurrent.CompletionStage<?> stage) throws Exception {
        try {
            stage.toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause() instanceof CompletionException c ? c.getCause() : e.getCause();
        }
        throw new AssertionError("expected the stage to fail");
    }

    @Test
    void theEndpointIdIsStableAcrossRestartsAndItsKeyIsPrivate() throws Exception {
        IrohTransport first = transport("server");
        String id = listen(first).address().host();
        first.close();
        IrohTransport second = transport("server");
        assertThat(listen(second).address().host()).isEqualTo(id).matches("[0-9a-f]{64}");
        Path key = dir.resolve("server").resolve(IrohTransport.KEY_FILE);
        assertThat(Files.getPosixFilePermissions(key)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(transport("other").endpointId()).isNotEqualTo(id);

        // a key that cannot be stored is a configuration error saying where, before any endpoint runs
        Path notADirectory = Files.writeString(dir.resolve("plain-file"), "x");
        IrohTransport unstorable = transport("unstorable", Map.of("secret-key", notADirectory.resolve("key").toString()));
        assertThatThrownBy(unstorable::endpointId).isInstanceOfSatisfying(io.alknet.api.AlknetException.class, e -> {
            assertThat(e.code()).isEqualTo(io.alknet.api.ErrorCode.INVALID_CONFIG);
            assertThat(e.getMessage()).contains("cannot store the iroh secret key in " + notADirectory.resolve("key"));
        });
    }

    @Test
    void theDialingEndpointsIdIsTheStreamsTransportIdentityOnBothSides() throws Exception {
        IrohTransport server = transport("server");
        IrohTransport client = transport("client");
        Listener listener = listen(server);
        CompletableFuture<TransportStream> accepted = listener.accept().toCompletableFuture();
        TransportStream dialled = await(client.connect(listener.address()));
        TransportStream served = await(accepted);
        assertThat(served.peer().transport()).isEqualTo("iroh");
        assertThat(served.peer().security()).isEqualTo(SecurityLevel.TLS_EQUIVALENT);
        assertThat(served.peer().remoteAddress()).isEmpty();
        assertThat(served.peer().transportIdentity()).contains(client.endpointId());
        assertThat(dialled.peer().transportIdentity()).contains(listener.address().host());
    }

    @Test
    void aClientPinnedToAnotherEndpointIdIsRefusedAndTheServerKeepsServing() throws Exception {
        IrohTransport server = transport("server");
        Listener listener = listen(server);
        String otherId = transport("other").endpointId();
        IrohTransport client = transport("client", Map.of("connect-timeout", "10s"));
        TransportAddress impostor = new TransportAddress("iroh", otherId, 0, listener.address().params());

        Throwable refused = failure(client.connect(impostor));
        assertThat(refused).isInstanceOf(AlknetException.class);
        assertThat(((AlknetException) refused).code()).isEqualTo(ErrorCode.CONNECTION_FAILED);
        assertThat(refused.getMessage()).contains("iroh connection to " + otherId.substring(0, 10))
                .contains("the endpoint that answered is not the one dialled");

        CompletableFuture<TransportStream> accepted = listener.accept().toCompletableFuture();
        TransportStream good = await(client.connect(listener.address()));
        await(good.write(ByteBuffer.wrap("hello".getBytes(StandardCharsets.UTF_8))));
        Received received = new Received();
        await(accepted).start(received);
        received.awaitSize(5, 30);
        assertThat(new String(received.bytes(), StandardCharsets.UTF_8)).isEqualTo("hello");
    }

    @Test
    void malformedEndpointIdsAreClearErrorsAndNothingElseIsAffected() throws Exception {
        IrohTransport server = transport("server");
        Listener listener = listen(server);
        IrohTransport client = transport("client");
        String addr = listener.address().param("addr").orElseThrow();
        String notOnTheCurve = "7f".repeat(31) + "ff"; // 64 hex digits, but no Ed25519 point
        for (String bad : List.of("not-an-id", "abc", listener.address().host().substring(1), notOnTheCurve, "%00")) {
            Throwable refused = failure(client.connect(new TransportAddress("iroh", bad, 0, Map.of("addr", List.of(addr)))));
            assertThat(refused).as(bad).isInstanceOf(AlknetException.class);
            assertThat(((AlknetException) refused).code()).as(bad).isEqualTo(ErrorCode.INVALID_ARGUMENT);
            assertThat(refused.getMessage()).as(bad).contains("is not an iroh endpoint id");
        }
        Throwable noAddress = failure(client.connect(TransportAddress.of("iroh", listener.address().host(), 0)));
        assertThat(noAddress.getMessage()).contains("--iroh-relay none").contains("addr=IP:PORT");

        CompletableFuture<TransportStream> accepted = listener.accept().toCompletableFuture();
        await(client.connect(listener.address())).write(ByteBuffer.wrap(new byte[] {1}));
        assertThat(await(accepted).isOpen()).isTrue();
    }

    @Test
    void closingTheEndpointWithStreamsOpenFailsThemCleanlyOnBothSides() throws Exception {
        IrohTransport server = transport("server");
        IrohTransport client = transport("client");
        Listener listener = listen(server);
        List<TransportStream> dialled = new ArrayList<>();
        List<Received> atClient = new ArrayList<>();
        List<Received> atServer = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            CompletableFuture<TransportStream> accepted = listener.accept().toCompletableFuture();
            TransportStream stream = await(client.connect(listener.address()));
            await(stream.write(ByteBuffer.wrap(new byte[1000])));
            Received fromServer = new Received();
            stream.start(fromServer);
            Received fromClient = new Received();
            await(accepted).start(fromClient);
            fromClient.awaitSize(1000, 30);
            dialled.add(stream);
            atClient.add(fromServer);
            atServer.add(fromClient);
        }
        // writes queued while the endpoint goes away settle too
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            writes.add(dialled.getFirst().write(ByteBuffer.wrap(new byte[64 * 1024])).toCompletableFuture());
        }
        client.close();
        for (int i = 0; i < 3; i++) {
            Throwable clientSide = atClient.get(i).closed.get(30, TimeUnit.SECONDS);
            assertThat(dialled.get(i).isOpen()).isFalse();
            assertThat(clientSide).as("client stream %d", i).isNotNull();
            CompletableFuture.anyOf(atServer.get(i).closed, atServer.get(i).inputClosed).get(30, TimeUnit.SECONDS);
        }
        for (CompletableFuture<Void> write : writes) {
            write.handle((ignored, error) -> null).get(30, TimeUnit.SECONDS);
        }
        assertThat(failure(dialled.getFirst().write(ByteBuffer.wrap(new byte[1])))).isInstanceOf(IOException.class);
        assertThat(failure(client.connect(listener.address()))).isInstanceOf(AlknetException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void closedTransportsLeaveNoHandleAndNoCallbackBehind() throws Exception {
        long[] before = Native.stats();
        int sinksBefore = Native.sinkCount();
        IrohTransport server = transport("server");
        IrohTransport client = transport("client");
        Listener listener = listen(server);
        CompletableFuture<TransportStream> accepted = listener.accept().toCompletableFuture();
        TransportStream dialled = await(client.connect(listener.address()));
        await(dialled.write(ByteBuffer.wrap(new byte[100])));
        Received received = new Received();
        await(accepted).start(received);
        received.awaitSize(100, 30);
        assertThat(Native.stats()[2]).as("endpoints while open").isEqualTo(before[2] + 2);
        client.close();
        server.close();
        long[] after = Native.stats();
        for (int i = 0; i < 100 && (after[3] != before[3] || after[4] != before[4] || Native.sinkCount() != sinksBefore); i++) {
            Thread.sleep(50);
            after = Native.stats();
        }
        assertThat(after[2]).as("endpoints").isEqualTo(before[2]);
        assertThat(after[3]).as("connections").isEqualTo(before[3]);
        assertThat(after[4]).as("streams").isEqualTo(before[4]);
        assertThat(Native.sinkCount()).as("Java callbacks").isEqualTo(sinksBefore);
    }

    @Test
    void aHandlerThatThrowsFailsOnlyItsOwnStreamAndATransportClosedFromACallbackCloses() throws Exception {
        IrohTransport server = transport("server");
        IrohTransport client = transport("client");
        Listener listener = listen(server);
        CompletableFuture<TransportStream> accepted = listener.accept().toCompletableFuture();
        TransportStream dialled = await(client.connect(listener.address()));
        await(dialled.write(ByteBuffer.wrap(new byte[10])));
        TransportStream served = await(accepted);
        CompletableFuture<Throwable> servedClosed = new CompletableFuture<>();
        served.start(new StreamHandler() {
            @Override
            public void onData(ByteBuffer data) {
                throw new IllegalStateException("handler bug");
            }

            @Override
            public void onClosed(Throwable error) {
                servedClosed.complete(error);
            }
        });
        assertThat(servedClosed.get(30, TimeUnit.SECONDS)).isInstanceOf(IOException.class).hasMessageContaining("handler bug");
        Received atClient = new Received();
        dialled.start(atClient);
        assertThat(atClient.closed.get(30, TimeUnit.SECONDS)).as("the peer sees the reset").isNotNull();

        // a second stream on the same connection is unaffected, and closing the transport from its callback
        // (a runtime thread, where blocking is not allowed) still closes everything
        CompletableFuture<TransportStream> second = listener.accept().toCompletableFuture();
        TransportStream again = await(client.connect(listener.address()));
        await(again.write(ByteBuffer.wrap(new byte[] {1})));
        await(second).write(ByteBuffer.wrap(new byte[] {2}));
        CompletableFuture<Throwable> againClosed = new CompletableFuture<>();
        again.start(new StreamHandler() {
            @Override
            public void onData(ByteBuffer data) {
                client.close();
            }

            @Override
            public void onClosed(Throwable error) {
                againClosed.complete(error);
            }
        });
        againClosed.get(30, TimeUnit.SECONDS);
        assertThat(again.isOpen()).isFalse();
        assertThat(failure(client.connect(listener.address()))).hasMessageContaining("closed");
    }

    @Test
    void aPeerThatVanishesMidTransferEndsTheStreamWithAClearError() throws Exception {
        assertThat(PEER).as("the pure-Rust peer is built by native/build.sh").isExecutable();
        Process peer = new ProcessBuilder(PEER.toString(), "source").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        resources.add(peer::destroyForcibly);
        String[] line = new BufferedReader(new InputStreamReader(peer.getInputStream(), StandardCharsets.US_ASCII)).readLine().split("\\|");
        IrohTransport client = transport("client", Map.of("idle-timeout", "3s"));
        TransportStream stream = await(client.connect(new TransportAddress("iroh", line[0], 0, Map.of("addr", List.of(line[1])))));
        await(stream.write(ByteBuffer.wrap(new byte[] {0})));
        AtomicLong received = new AtomicLong();
        CompletableFuture<Throwable> closed = new CompletableFuture<>();
        CompletableFuture<Void> flowing = new CompletableFuture<>();
        stream.start(new StreamHandler() {
            @Override
            public void onData(ByteBuffer data) {
                if (received.addAndGet(data.remaining()) > 4 * 1024 * 1024) {
                    flowing.complete(null);
                }
            }

            @Override
            public void onClosed(Throwable error) {
                closed.complete(error);
            }
        });
        flowing.get(30, TimeUnit.SECONDS);
        peer.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL: no goodbye on the wire

        Throwable error = closed.get(30, TimeUnit.SECONDS);
        assertThat(error).isInstanceOf(IOException.class).hasMessageContaining("connection lost")
                .hasMessageContaining("stopped answering");
        assertThat(stream.isOpen()).isFalse();
        assertThat(failure(stream.write(ByteBuffer.wrap(new byte[1])))).isInstanceOf(IOException.class);

        // the transport itself is fine: a new server is reachable
        IrohTransport server = transport("server");
        Listener listener = listen(server);
        CompletableFuture<TransportStream> accepted = listener.accept().toCompletableFuture();
        await(client.connect(listener.address())).write(ByteBuffer.wrap(new byte[] {1}));
        assertThat(await(accepted).peer().transportIdentity()).contains(client.endpointId());
    }
}
