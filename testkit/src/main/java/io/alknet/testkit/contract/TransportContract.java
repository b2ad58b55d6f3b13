package io.alknet.testkit.contract;

import io.alknet.api.stream.TransportStream;
import io.alknet.api.transport.Listener;
import io.alknet.api.transport.Transport;
import io.alknet.api.transport.TransportAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link Transport} must do (see the Javadoc of {@link Transport} and {@link TransportStream}):
 * accept and connect with peer info, deliver bytes in order and intact, half-close, apply back-pressure
 * when reading is paused, finish every write and close cleanly when closed mid-write, send a close or half-close
 * only after every byte queued before it (also to a reader slower than the writer), and report an abort or a
 * failed write to both sides as an error, never as a clean end of data.
 *
 * <p>Extend it and supply started transports and a listen address; each test gets fresh ones.
 */
public abstract class TransportContract {

    private final List<AutoCloseable> resources = new ArrayList<>();
    private Transport server;
    private Transport client;

    /** A started transport that listens. Called once per test. */
    protected abstract Transport newServerTransport() throws Exception;

    /** A started transport that dials the server's listeners (default: another server-style transport). */
    protected Transport newClientTransport() throws Exception {
        return newServerTransport();
    }

    /** Where the server listens, e.g. {@code tcp://127.0.0.1:0}. */
    protected abstract TransportAddress listenAddress() throws Exception;

    /**
     * Whether the peer of an aborted stream can tell the abort from a clean end (TCP: a reset; TLS: no
     * close_notify; QUIC: RESET_STREAM). A transport whose wire cannot say it (a unix socket's close is an end
     * of file, whatever the reason) overrides this to false and documents that a splice over it passes an
     * abort on as an end of data.
     */
    protected boolean peerSeesAbort() {
        return true;
    }

    /** What a client dials to reach {@code listener} (default: its bound address). */
    protected TransportAddress dialAddress(Listener listener) {
        return listener.address();
    }

    @BeforeEach
    final void startTransports() throws Exception {
        server = newServerTransport();
        client = newClientTransport();
        resources.add(server);
        if (client != server) {
            resources.add(client);
        }
    }

    @AfterEach
    final void closeResources() {
        for (AutoCloseable resource : resources.reversed()) {
            try {
                resource.close();
            } catch (Exception ignored) {
                // best effort
            }
        }
    }

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** A connected pair: [0] the client side, [1] the accepted side. */
    private TransportStream[] pair() throws Exception {
        Listener listener = await(server.listen(listenAddress()));
        resources.add(listener::close);
        CompletionStage<TransportStream> accepted = listener.accept();
        TransportStream dialled = await(client.connect(dialAddress(listener)));
        TransportStream served = await(accepted);
        resources.add(dialled::abort);
        resources.add(served::abort);
        return new TransportStream[] {dialled, served};
    }

    private static ByteBuffer wrap(byte[] bytes, int offset, int length) {
        return ByteBuffer.wrap(bytes, offset, length);
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    @Test
    void connectsAndAcceptsWithPeerInfoAndItsSecurityLevel() throws Exception {
        TransportStream[] streams = pair();
        assertThat(streams[0].peer()).isNotNull();
        assertThat(streams[1].peer()).isNotNull();
        assertThat(streams[1].peer().security()).isEqualTo(server.security());
        assertThat(streams[0].isOpen()).isTrue();
        assertThat(streams[1].isOpen()).isTrue();
    }

    @Test
    void largeTransfersArriveInOrderAndIntactBothWays() throws Exception {
        TransportStream[] streams = pair();
        Received atServer = new Received();
        Received atClient = new Received();
        streams[1].start(atServer);
        streams[0].start(atClient);
        byte[] up = random(4 * 1024 * 1024, 1);
        byte[] down = random(1024 * 1024 + 7, 2);
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (int offset = 0; offset < up.length; offset += 65_536) {
            writes.add(streams[0].write(wrap(up, offset, Math.min(65_536, up.length - offset))).toCompletableFuture());
        }
        for (int offset = 0; offset < down.length; offset += 10_000) {
            writes.add(streams[1].write(wrap(down, offset, Math.min(10_000, down.length - offset))).toCompletableFuture());
        }
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        atServer.awaitSize(up.length, 60);
        atClient.awaitSize(down.length, 60);
        assertThat(atServer.bytes()).isEqualTo(up);
        assertThat(atClient.bytes()).isEqualTo(down);
    }

    @Test
    void aHalfCloseEndsOneDirectionAndThePeerCanStillAnswer() throws Exception {
        TransportStream[] streams = pair();
        Received atServer = new Received();
        Received atClient = new Received();
        streams[1].start(atServer);
        streams[0].start(atClient);
        await(streams[0].write(ByteBuffer.wrap("question".getBytes())));
        await(streams[0].shutdownOutput());
        atServer.inputClosed.get(30, TimeUnit.SECONDS);
        assertThat(new String(atServer.bytes())).isEqualTo("question");
        await(streams[1].write(ByteBuffer.wrap("answer".getBytes())));
        atClient.awaitSize(6, 30);
        assertThat(new String(atClient.bytes())).isEqualTo("answer");
        streams[1].close();
        streams[0].closeFuture().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void pausedReadingHoldsDataBackUntilResumed() throws Exception {
        TransportStream[] streams = pair();
        Received atServer = new Received();
        streams[1].pauseReading();
        streams[1].start(atServer);
        byte[] data = random(64 * 1024, 3);
        streams[0].write(ByteBuffer.wrap(data));
        Thread.sleep(300);
        assertThat(atServer.size()).as("bytes delivered while reading is paused").isZero();
        streams[1].resumeReading();
        atServer.awaitSize(data.length, 30);
        assertThat(atServer.bytes()).isEqualTo(data);
    }

    @Test
    void closingWhileWritingSettlesEveryWriteAndBothSidesClose() throws Exception {
        TransportStream[] streams = pair();
        Received atServer = new Received();
        streams[1].start(atServer);
        streams[0].start(new Received());
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        byte[] chunk = random(32 * 1024, 4);
        for (int i = 0; i < 200; i++) {
            writes.add(streams[0].write(ByteBuffer.wrap(chunk)).toCompletableFuture());
        }
        streams[0].close();
        for (CompletableFuture<Void> write : writes) {
            // each write completes, normally or with an IOException: none is left hanging
            write.handle((ignored, error) -> null).get(30, TimeUnit.SECONDS);
        }
        streams[0].closeFuture().toCompletableFuture().get(30, TimeUnit.SECONDS);
        // the peer sees its input end (its own output stays open until it closes: that is half-close)
        CompletableFuture.anyOf(atServer.inputClosed, atServer.closed).get(30, TimeUnit.SECONDS);
        assertThat(streams[0].isOpen()).isFalse();
        assertThat(streams[0].write(ByteBuffer.wrap(chunk)).toCompletableFuture().handle((ignored, error) -> error)
                .get(30, TimeUnit.SECONDS)).as("a write after close fails").isNotNull();
    }

    /**
     * The peer reads slower than this side writes; this side queues every write at once and then closes (or
     * half-closes). The close goes out only after every queued byte: the reader gets all of them, then a clean
     * end, and every write succeeds. A transport that closes its socket while writes still wait in its queue
     * loses the tail here.
     */
    @ParameterizedTest(name = "{0}, written by the {1} side")
    @CsvSource({"close, client", "close, server", "half-close, client", "half-close, server"})
    void aSlowReaderGetsEveryByteWrittenBeforeTheEnd(String end, String writerSide) throws Exception {
        TransportStream[] streams = pair();
        TransportStream writer = writerSide.equals("client") ? streams[0] : streams[1];
        TransportStream reader = writerSide.equals("client") ? streams[1] : streams[0];
        Received atWriter = new Received();
        SlowReader slow = new SlowReader(reader, 8L << 20);
        reader.start(slow);
        writer.start(atWriter);
        byte[] body = random(8 * 1024 * 1024 + 13, 5);
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (int offset = 0; offset < body.length; offset += 65_536) {
            writes.add(writer.write(wrap(body, offset, Math.min(65_536, body.length - offset))).toCompletableFuture());
        }
        CompletableFuture<Void> ended;
        if (end.equals("close")) {
            writer.close();
            ended = CompletableFuture.anyOf(slow.inputClosed, slow.closed).thenApply(ignored -> null);
        } else {
            writer.shutdownOutput();
            ended = slow.inputClosed;
        }
        ended.get(60, TimeUnit.SECONDS);
        assertThat(slow.count()).as("bytes the slow reader got before the end").isEqualTo(body.length);
        assertThat(slow.sha256()).isEqualTo(SlowReader.sha256(body));
        assertThat(slow.closed.getNow(null)).as("an orderly end is not an error").isNull();
        for (CompletableFuture<Void> write : writes) {
            assertThat(write).as("a write queued before the end").succeedsWithin(30, TimeUnit.SECONDS);
        }
        if (end.equals("half-close")) {
            // the direction that is still open carries the answer, and then both sides close
            await(reader.write(ByteBuffer.wrap("all read".getBytes())));
            atWriter.awaitSize(8, 30);
            assertThat(new String(atWriter.bytes())).isEqualTo("all read");
            reader.close();
            assertThat(atWriter.closed.get(30, TimeUnit.SECONDS)).as("the writer's close after both ends").isNull();
        } else {
            reader.close(); // the reader's own direction is still open until it closes too
        }
        assertThat(slow.closed.get(30, TimeUnit.SECONDS)).as("the reader's stream closed cleanly").isNull();
        await(writer.closeFuture());
        await(reader.closeFuture());
    }

    /**
     * An abort is not an end of data: the peer's stream fails with an error, and never reports its input as
     * ended cleanly, so a splice on the far side passes the abort on instead of a clean EOF.
     */
    @Test
    void abortEndsTheStreamAtOnceAndThePeerSeesAnErrorNotAnEnd() throws Exception {
        TransportStream[] streams = pair();
        Received atServer = new Received();
        Received atClient = new Received();
        streams[1].start(atServer);
        streams[0].start(atClient);
        await(streams[0].write(ByteBuffer.wrap("partial".getBytes())));
        atServer.awaitSize(7, 30);
        streams[0].abort();
        await(streams[0].closeFuture());
        assertThat(streams[0].isOpen()).isFalse();
        assertThat(atClient.closed.get(30, TimeUnit.SECONDS)).as("the aborted stream's own handler is told an error").isNotNull();
        if (!peerSeesAbort()) {
            CompletableFuture.anyOf(atServer.inputClosed, atServer.closed).get(30, TimeUnit.SECONDS);
            return;
        }
        assertThat(atServer.closed.get(30, TimeUnit.SECONDS)).as("the error the peer's stream ended with").isNotNull();
        assertThat(atServer.inputClosed).as("an abort never looks like the end of the data").isNotDone();
        assertThat(streams[1].write(ByteBuffer.wrap("late".getBytes())).toCompletableFuture().handle((ignored, error) -> error)
                .get(30, TimeUnit.SECONDS)).as("a write on the aborted peer's stream fails").isNotNull();
    }

    /**
     * The reader goes away while this side still has writes queued: they fail, and this side's stream ends with
     * an error (a failed write is never a clean end), so the far side of a splice is aborted too.
     */
    @Test
    void aFailedWriteEndsTheStreamWithAnError() throws Exception {
        TransportStream[] streams = pair();
        Received atClient = new Received();
        streams[0].start(atClient);
        streams[1].pauseReading();
        streams[1].start(new Received());
        byte[] chunk = random(64 * 1024, 6);
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (int i = 0; i < 256; i++) { // 16 MiB: more than any socket or flow-control window holds
            writes.add(streams[0].write(ByteBuffer.wrap(chunk)).toCompletableFuture());
        }
        Thread.sleep(200);
        streams[1].abort();
        CompletableFuture<Void> anyFailed = new CompletableFuture<>();
        for (CompletableFuture<Void> write : writes) {
            write.whenComplete((ignored, error) -> {
                if (error != null) {
                    anyFailed.complete(null);
                }
            });
        }
        anyFailed.get(30, TimeUnit.SECONDS);
        assertThat(atClient.closed.get(30, TimeUnit.SECONDS)).as("the writer's stream ended with the write's failure").isNotNull();
        assertThat(atClient.inputClosed).as("an aborted peer never looks like the end of the data").isNotDone();
    }

    /** Nothing may follow an end of stream: a write after a half-close fails, and the peer gets only what came before. */
    @Test
    void aWriteAfterAHalfCloseFails() throws Exception {
        TransportStream[] streams = pair();
        Received atServer = new Received();
        streams[1].start(atServer);
        streams[0].start(new Received());
        await(streams[0].write(ByteBuffer.wrap("before".getBytes())));
        await(streams[0].shutdownOutput());
        assertThat(streams[0].write(ByteBuffer.wrap("after".getBytes())).toCompletableFuture().handle((ignored, error) -> error)
                .get(30, TimeUnit.SECONDS)).as("a write after the half-close").isNotNull();
        atServer.inputClosed.get(30, TimeUnit.SECONDS);
        assertThat(new String(atServer.bytes())).isEqualTo("before");
    }

    /** A stream aborted before anyone started reading it tells its handler the abort on start, as an error. */
    @Test
    void aStreamAbortedBeforeItsStartTellsTheAbortOnStart() throws Exception {
        TransportStream[] streams = pair();
        streams[0].abort();
        await(streams[0].closeFuture());
        Received late = new Received();
        streams[0].start(late);
        assertThat(late.closed.get(30, TimeUnit.SECONDS)).as("the error told on start").isNotNull();
    }

    @Test
    void aClosedListenerRefusesFurtherAccepts() throws Exception {
        Listener listener = await(server.listen(listenAddress()));
        listener.close();
        assertThat(listener.accept().toCompletableFuture().handle((stream, error) -> error).get(30, TimeUnit.SECONDS)).isNotNull();
    }
}
