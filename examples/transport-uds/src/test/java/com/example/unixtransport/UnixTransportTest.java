package com.example.unixtransport;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.api.plugin.AlknetPlugin;
import io.alknet.api.plugin.PluginContext;
import io.alknet.api.plugin.Settings;
import io.alknet.api.stream.StreamHandler;
import io.alknet.api.stream.TransportStream;
import io.alknet.api.transport.Listener;
import io.alknet.api.transport.SecurityLevel;
import io.alknet.api.transport.Transport;
import io.alknet.api.transport.TransportAddress;
import io.alknet.stream.support.BlockingStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The unix transport over real sockets in a temporary directory. */
class UnixTransportTest {

    @TempDir
    Path dir;

    private Transport transport;
    private final List<AutoCloseable> resources = new ArrayList<>();

    @BeforeEach
    void createTransport() {
        Received.VIOLATIONS.clear();
        transport = new UnixTransportFactory().create(Settings.empty("transport.unix."), context());
        transport.start();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable resource : resources.reversed()) {
            resource.close();
        }
        transport.close();
        // thrown on the reader thread, an AssertionError would be lost there: the handlers record, the test checks
        assertThat(Received.VIOLATIONS).as("handler callbacks that overlapped or followed onClosed").isEmpty();
    }

    private PluginContext context() {
        return new PluginContext() {
            @Override
            public Path stateDirectory() {
                return dir.resolve("state");
            }

            @Override
            public Clock clock() {
                return Clock.systemUTC();
            }
        };
    }

    private TransportAddress address(String file) {
        return TransportAddress.parse("unix://localhost?path=" + dir.resolve(file), 0);
    }

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** [0] dialled, [1] accepted. */
    private TransportStream[] pair() throws Exception {
        Listener listener = await(transport.listen(address("pair.sock")));
        resources.add(listener);
        CompletionStage<TransportStream> accepted = listener.accept();
        TransportStream dialled = await(transport.connect(listener.address()));
        TransportStream served = await(accepted);
        resources.add(dialled::abort);
        resources.add(served::abort);
        return new TransportStream[] {dialled, served};
    }

    private static ByteBuffer ascii(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void thePluginIsFoundByServiceLoaderAndRefusesUnknownSettings() {
        List<AlknetPlugin> plugins = ServiceLoader.load(AlknetPlugin.class).stream().map(ServiceLoader.Provider::get).toList();
        assertThat(plugins).hasSize(1);
        assertThat(plugins.getFirst().transports()).singleElement().satisfies(factory -> {
            assertThat(factory.name()).isEqualTo("unix");
            assertThat(factory.security()).isEqualTo(SecurityLevel.UNPROTECTED);
        });
        assertThatThrownBy(() -> new UnixTransportFactory().create(Settings.of("transport.unix.", Map.of("backlog", "5")), context()))
                .isInstanceOfSatisfying(AlknetException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIG));
    }

    @Test
    void connectsAndAcceptsWithUnixPeerInfo() throws Exception {
        TransportStream[] streams = pair();
        Path socket = dir.resolve("pair.sock");
        assertThat(streams[0].peer().transport()).isEqualTo("unix");
        assertThat(streams[0].peer().security()).isEqualTo(SecurityLevel.UNPROTECTED);
        assertThat(streams[0].peer().remoteAddress()).contains(UnixDomainSocketAddress.of(socket));
        assertThat(streams[1].peer().localAddress()).contains(UnixDomainSocketAddress.of(socket));
        assertThat(streams[1].peer().remoteAddress()).get().isInstanceOf(UnixDomainSocketAddress.class);
        assertThat(streams[0].isOpen()).isTrue();
        assertThat(streams[1].isOpen()).isTrue();
    }

    @Test
    void theListenerReportsItsAddressAndTheCliDefaultPortIsIgnored() throws Exception {
        TransportAddress withPort = TransportAddress.parse("unix://localhost?path=" + dir.resolve("cli.sock"), 2222);
        Listener listener = await(transport.listen(withPort));
        resources.add(listener);
        assertThat(listener.address().port()).isZero();
        assertThat(listener.address().param("path")).contains(dir.resolve("cli.sock").toString());
        assertThat(listener.address().toString()).isEqualTo("unix://localhost?path=" + dir.resolve("cli.sock"));
    }

    @Test
    void nothingIsDeliveredBeforeStartAndSmallWritesArriveInOrder() throws Exception {
        TransportStream[] streams = pair();
        List<CompletionStage<Void>> writes = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            writes.add(streams[0].write(ascii(i + ",")));
        }
        for (CompletionStage<Void> write : writes) {
            await(write);
        }
        Thread.sleep(100); // bytes wait in the socket until start
        Received received = new Received();
        streams[1].start(received);
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            expected.append(i).append(',');
        }
        received.awaitSize(expected.length());
        assertThat(received.text()).isEqualTo(expected.toString());
        assertThatThrownBy(() -> streams[1].start(new Received())).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void pausedReadingHoldsDataBackAndPushesBackOnTheWriterUntilResumed() throws Exception {
        TransportStream[] streams = pair();
        Received atServer = new Received();
        streams[1].start(atServer);
        await(streams[0].write(ascii("x")));
        atServer.awaitSize(1);
        streams[1].pauseReading();
        Thread.sleep(50); // the reader may be parked in a read already: it may deliver one more buffer

        byte[] data = random(8 * 1024 * 1024, 3);
        CompletionStage<Void> lastWrite = null;
        for (int offset = 0; offset < data.length; offset += 65_536) {
            lastWrite = streams[0].write(ByteBuffer.wrap(data, offset, 65_536));
        }
        Thread.sleep(300);
        int whilePaused = atServer.size();
        assertThat(whilePaused).as("bytes delivered after pauseReading").isLessThanOrEqualTo(1 + BlockingStream.READ_BUFFER);
        Thread.sleep(200);
        assertThat(atServer.size()).as("delivery stopped").isEqualTo(whilePaused);
        assertThat(lastWrite.toCompletableFuture()).as("the writer is held back by the full socket").isNotDone();

        streams[1].resumeReading();
        await(lastWrite);
        atServer.awaitSize(1 + data.length);
        byte[] all = atServer.bytes();
        assertThat(all[0]).isEqualTo((byte) 'x');
        assertThat(java.util.Arrays.copyOfRange(all, 1, all.length)).isEqualTo(data);
    }

    @Test
    void closeFlushesQueuedWritesCompletesCloseFutureAndLaterWritesFail() throws Exception {
        TransportStream[] streams = pair();
        Received atServer = new Received();
        Received atClient = new Received();
        streams[1].start(atServer);
        streams[0].start(atClient);
        byte[] data = random(1024 * 1024, 4);
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (int offset = 0; offset < data.length; offset += 32_768) {
            writes.add(streams[0].write(ByteBuffer.wrap(data, offset, 32_768)).toCompletableFuture());
        }
        streams[0].close();
        streams[0].close(); // idempotent
        await(streams[0].closeFuture());
        assertThat(atClient.closed.get(30, TimeUnit.SECONDS)).as("orderly close: no error").isNull();
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS); // all flushed
        assertThat(streams[0].isOpen()).isFalse();
        assertThat(errorOf(streams[0].write(ascii("late"))))
                .as("a write after close").isInstanceOf(IOException.class);

        atServer.inputClosed.get(30, TimeUnit.SECONDS);
        assertThat(atServer.bytes()).isEqualTo(data);
        streams[1].close();
        await(streams[1].closeFuture());
        atServer.closed.get(30, TimeUnit.SECONDS);
    }

    @Test
    void abortDropsQueuedWritesAndClosesAtOnce() throws Exception {
        TransportStream[] streams = pair();
        Received atServer = new Received();
        Received atClient = new Received();
        streams[1].pauseReading(); // nothing drains: the writes queue up
        streams[1].start(atServer);
        streams[0].start(atClient);
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        byte[] chunk = random(256 * 1024, 5);
        for (int i = 0; i < 32; i++) {
            writes.add(streams[0].write(ByteBuffer.wrap(chunk)).toCompletableFuture());
        }
        streams[0].abort();
        await(streams[0].closeFuture());
        atClient.closed.get(30, TimeUnit.SECONDS);
        long failed = writes.stream().map(w -> w.handle((ok, error) -> error).join()).filter(e -> e != null).count();
        assertThat(failed).as("queued writes dropped by abort").isPositive();
        assertThatThrownBy(() -> writes.getLast().get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(IOException.class);
        // the peer sees the end (a reset, since it left data unread, or end-of-stream)
        streams[1].resumeReading();
        CompletableFuture.anyOf(atServer.inputClosed, atServer.closed).get(30, TimeUnit.SECONDS);
    }

    @Test
    void badAddressesAndAbsentServersFailWithErrorCodes() throws Exception {
        assertThat(failure(transport.connect(TransportAddress.parse("unix://localhost", 0))).code())
                .isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(failure(transport.listen(TransportAddress.parse("unix://localhost?path=", 0))).code())
                .isEqualTo(ErrorCode.INVALID_ARGUMENT);
        AlknetException refused = failure(transport.connect(address("nobody.sock")));
        assertThat(refused.code()).isEqualTo(ErrorCode.TARGET_REFUSED);
        assertThat(refused).hasMessageNotContaining(dir.toString());
    }

    private static Throwable errorOf(CompletionStage<?> stage) throws Exception {
        return stage.toCompletableFuture().handle((ok, e) -> e).get(30, TimeUnit.SECONDS);
    }

    private static AlknetException failure(CompletionStage<?> stage) throws Exception {
        Throwable error = errorOf(stage);
        assertThat(error).isInstanceOf(AlknetException.class);
        return (AlknetException) error;
    }

    @Test
    void closingTheListenerFailsThePendingAcceptAndRemovesTheSocketFile() throws Exception {
        Listener listener = await(transport.listen(address("gone.sock")));
        assertThat(dir.resolve("gone.sock")).exists();
        CompletionStage<TransportStream> pending = listener.accept();
        listener.close();
        listener.close(); // idempotent
        assertThat(errorOf(pending)).isNotNull();
        assertThat(errorOf(listener.accept())).isNotNull();
        assertThat(dir.resolve("gone.sock")).doesNotExist();
    }

    @Test
    void aStaleSocketFileIsReplacedButALiveOneIsNot() throws Exception {
        Path stale = dir.resolve("stale.sock");
        try (ServerSocketChannel crashed = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            crashed.bind(UnixDomainSocketAddress.of(stale));
        } // closed without deleting the file, like a crashed server
        assertThat(stale).exists();
        Listener listener = await(transport.listen(address("stale.sock")));
        resources.add(listener);

        assertThat(failure(transport.listen(address("stale.sock"))).code()).as("a live socket is kept").isEqualTo(ErrorCode.INVALID_CONFIG);
        CompletionStage<TransportStream> accepted = listener.accept();
        resources.add(await(transport.connect(address("stale.sock")))::abort);
        resources.add(await(accepted)::abort);
        assertThat(Files.exists(stale)).isTrue();
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** Records what a stream delivers; checks that callbacks never overlap and nothing follows onClosed. */
    static final class Received implements StreamHandler {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final CompletableFuture<Void> inputClosed = new CompletableFuture<>();
        final CompletableFuture<Throwable> closed = new CompletableFuture<>();
        private volatile boolean inCallback;
        static final List<String> VIOLATIONS = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public synchronized void onData(ByteBuffer data) {
            enter();
            byte[] copy = new byte[data.remaining()];
            data.get(copy);
            bytes.writeBytes(copy);
            inCallback = false;
        }

        @Override
        public void onInputClosed() {
            enter();
            inputClosed.complete(null);
            inCallback = false;
        }

        @Override
        public void onClosed(Throwable error) {
            enter();
            closed.complete(error);
            inCallback = false;
        }

        private void enter() {
            if (inCallback || closed.isDone()) {
                VIOLATIONS.add((inCallback ? "overlapping callback" : "a callback after onClosed") + " on " + Thread.currentThread());
            }
            inCallback = true;
        }

        synchronized int size() {
            return bytes.size();
        }

        synchronized byte[] bytes() {
            return bytes.toByteArray();
        }

        String text() {
            return new String(bytes(), StandardCharsets.US_ASCII);
        }

        void awaitSize(int size) throws InterruptedException {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (size() < size) {
                if (System.nanoTime() > until) {
                    throw new AssertionError("timed out waiting for " + size + " bytes, got " + size());
                }
                Thread.sleep(5);
            }
        }
    }
}
