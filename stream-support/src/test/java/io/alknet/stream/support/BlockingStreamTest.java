package io.alknet.stream.support;

import io.alknet.api.stream.PeerInfo;
import io.alknet.api.stream.StreamHandler;
import io.alknet.api.stream.TransportStream;
import io.alknet.api.transport.SecurityLevel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link BlockingStream} over real loopback TCP connections: a {@link SocketChannel} and a {@link Socket}. */
class BlockingStreamTest {

    private ServerSocketChannel server;

    @BeforeEach
    void listen() throws IOException {
        server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    @AfterEach
    void close() throws IOException {
        server.close();
    }

    /** Our stream over a fresh connection, and the plain socket at the other end. */
    private record Pair(TransportStream stream, Socket peer) {
    }

    private Pair pair(boolean overSocket) throws IOException {
        SocketChannel ours = SocketChannel.open(server.getLocalAddress());
        Socket peer = server.accept().socket();
        peer.setSoTimeout(30_000);
        PeerInfo info = PeerInfo.socket("tcp", SecurityLevel.UNPROTECTED, ours.getRemoteAddress(), ours.getLocalAddress());
        BlockingIo io = overSocket ? BlockingIo.of(ours.socket()) : BlockingIo.of(ours);
        return new Pair(BlockingStream.open(info, io), peer);
    }

    /** Collects what the stream delivers. */
    private static final class Collect implements StreamHandler {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final CompletableFuture<Void> inputClosed = new CompletableFuture<>();
        final CompletableFuture<Throwable> closed = new CompletableFuture<>();

        @Override
        public synchronized void onData(ByteBuffer data) {
            byte[] copy = new byte[data.remaining()];
            data.get(copy);
            bytes.writeBytes(copy);
        }

        @Override
        public void onInputClosed() {
            inputClosed.complete(null);
        }

        @Override
        public void onClosed(Throwable error) {
            closed.complete(error);
        }

        synchronized byte[] bytes() {
            return bytes.toByteArray();
        }
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    @Test
    void bytesBothWaysAndAHalfCloseEachWayEndTheStreamCleanly() throws Exception {
        for (boolean overSocket : new boolean[] {false, true}) {
            Pair pair = pair(overSocket);
            Collect events = new Collect();
            pair.stream().start(events);
            byte[] up = random(3 * 1024 * 1024);
            pair.peer().getOutputStream().write(up);
            pair.peer().shutdownOutput();
            events.inputClosed.get(30, TimeUnit.SECONDS);
            assertThat(events.bytes()).isEqualTo(up);

            byte[] down = random(2 * 1024 * 1024 + 3);
            List<CompletableFuture<Void>> writes = new ArrayList<>();
            for (int offset = 0; offset < down.length; offset += 65_536) {
                writes.add(pair.stream().write(ByteBuffer.wrap(down, offset, Math.min(65_536, down.length - offset))).toCompletableFuture());
            }
            pair.stream().shutdownOutput();
            assertThat(pair.peer().getInputStream().readAllBytes()).as("every byte, then the end").isEqualTo(down);
            assertThat(events.closed.get(30, TimeUnit.SECONDS)).as("both directions ended: closed cleanly").isNull();
            assertThat(writes).allSatisfy(write -> assertThat(write).isCompleted());
            pair.peer().close();
        }
    }

    @Test
    void aCloseAfterWritesReachesAReaderSlowerThanTheWriterAfterTheLastByte() throws Exception {
        Pair pair = pair(false);
        pair.peer().setReceiveBufferSize(16 * 1024);
        pair.stream().start(new Collect());
        byte[] body = random(4 * 1024 * 1024);
        for (int offset = 0; offset < body.length; offset += 65_536) {
            pair.stream().write(ByteBuffer.wrap(body, offset, 65_536));
        }
        pair.stream().close();
        InputStream in = pair.peer().getInputStream();
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            read.write(buffer, 0, n);
            Thread.sleep(n > 0 && read.size() % (512 * 1024) < 8192 ? 20 : 0);
        }
        assertThat(read.toByteArray()).isEqualTo(body);
        pair.stream().closeFuture().toCompletableFuture().get(30, TimeUnit.SECONDS);
        pair.peer().close();
    }

    @Test
    void anAbortResetsTheTcpConnectionAndTheHandlerIsToldAnError() throws Exception {
        Pair pair = pair(false);
        Collect events = new Collect();
        pair.stream().start(events);
        pair.stream().write(ByteBuffer.wrap("partial".getBytes())).toCompletableFuture().get(30, TimeUnit.SECONDS);
        pair.stream().abort();
        assertThat(events.closed.get(30, TimeUnit.SECONDS)).isNotNull();
        assertThat(events.inputClosed).isNotDone();
        InputStream in = pair.peer().getInputStream();
        assertThat(in.readNBytes(7)).isEqualTo("partial".getBytes());
        assertThatThrownBy(in::read).as("a reset, not an end of data").isInstanceOf(IOException.class);
        pair.peer().close();
    }

    @Test
    void aPeerResetFailsTheStreamWithAnError() throws Exception {
        Pair pair = pair(true);
        Collect events = new Collect();
        pair.stream().start(events);
        pair.peer().setSoLinger(true, 0);
        pair.peer().close();
        assertThat(events.closed.get(30, TimeUnit.SECONDS)).isInstanceOf(IOException.class);
        assertThat(events.inputClosed).isNotDone();
    }

    /** A transport's connect and listen run their blocking calls this way: on a virtual thread, failures in the stage. */
    @Test
    void aBlockingStepRunsOnANamedVirtualThreadAndItsFailureFailsTheStage() throws Exception {
        CompletionStage<String> where = BlockingIo.onVirtualThread("test-connect",
                () -> Thread.currentThread().isVirtual() + " " + Thread.currentThread().getName());
        assertThat(where.toCompletableFuture().get(10, TimeUnit.SECONDS)).isEqualTo("true test-connect");
        CompletionStage<Object> refused = BlockingIo.onVirtualThread("test-connect", () -> {
            throw new java.net.ConnectException("Connection refused");
        });
        assertThatThrownBy(() -> refused.toCompletableFuture().get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(java.net.ConnectException.class);
    }
}
