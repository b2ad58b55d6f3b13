package io.alknet.netty;

import io.alknet.api.stream.PeerInfo;
import io.alknet.api.stream.StreamHandler;
import io.alknet.api.stream.TransportStream;
import io.alknet.api.transport.Listener;
import io.alknet.api.transport.SecurityLevel;
import io.alknet.api.transport.TransportAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The end of a connection over a real loopback socket: the end of input and an output shutdown or close
 * are handled after the event loop's round of reads (so a new connection goes first), and still in order.
 */
class NettyTransportStreamTest {

    private EventLoops.Lease lease;
    private Listener listener;

    @BeforeEach
    void listen() throws Exception {
        lease = EventLoops.acquire();
        listener = Bootstraps.listen(lease, TransportAddress.of("tcp", "127.0.0.1", 0), 16,
                (channel, accepted) -> accepted.offer(NettyTransportStream.attach(channel,
                        PeerInfo.socket("tcp", SecurityLevel.UNPROTECTED, channel.remoteAddress(), channel.localAddress()))))
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void close() throws Exception {
        listener.close();
        lease.close();
    }

    @Test
    void dataArrivesBeforeTheEndOfInputAndTheHalfCloseReachesThePeer() throws Exception {
        byte[] sent = new byte[300 * 1024];
        for (int i = 0; i < sent.length; i++) {
            sent[i] = (byte) (i * 31);
        }
        try (Socket peer = new Socket(InetAddress.getLoopbackAddress(), listener.address().port())) {
            peer.setSoTimeout(10_000);
            TransportStream stream = listener.accept().toCompletableFuture().get(10, TimeUnit.SECONDS);
            Recorder events = new Recorder();
            stream.start(events);
            OutputStream out = peer.getOutputStream();
            out.write(sent);
            peer.shutdownOutput();

            events.awaitInputClosed();
            assertThat(events.received()).isEqualTo(sent.length);
            assertThat(events.log).as("data, then the end of input once; not closed yet").endsWith("input-closed")
                    .doesNotContain("closed");

            // our side still writes, then half-closes; the peer reads it all and then the end
            stream.write(ByteBuffer.wrap("bye".getBytes()));
            stream.shutdownOutput().toCompletableFuture().get(10, TimeUnit.SECONDS);
            InputStream in = peer.getInputStream();
            assertThat(in.readAllBytes()).isEqualTo("bye".getBytes());
            stream.closeFuture().toCompletableFuture().get(10, TimeUnit.SECONDS);
            events.awaitClosed(); // told just after the close future completes
            assertThat(events.log).as("both directions ended: the stream closed itself").last().isEqualTo("closed");
            assertThat(events.log.stream().filter("input-closed"::equals)).hasSize(1);
        }
    }

    @Test
    void theEndOfInputAfterOurHalfCloseClosesTheStream() throws Exception {
        try (Socket peer = new Socket(InetAddress.getLoopbackAddress(), listener.address().port())) {
            peer.setSoTimeout(10_000);
            TransportStream stream = listener.accept().toCompletableFuture().get(10, TimeUnit.SECONDS);
            Recorder events = new Recorder();
            stream.start(events);
            stream.shutdownOutput().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(peer.getInputStream().read()).as("our end of output").isEqualTo(-1);
            assertThat(stream.isOpen()).isTrue();
            peer.getOutputStream().write(42);
            peer.shutdownOutput();
            stream.closeFuture().toCompletableFuture().get(10, TimeUnit.SECONDS);
            events.awaitClosed();
            assertThat(events.received()).isEqualTo(1);
            assertThat(events.log).containsExactly("data", "input-closed", "closed");
        }
    }

    @Test
    void aCloseAfterWritesSendsTheWritesFirst() throws Exception {
        try (Socket peer = new Socket(InetAddress.getLoopbackAddress(), listener.address().port())) {
            peer.setSoTimeout(10_000);
            TransportStream stream = listener.accept().toCompletableFuture().get(10, TimeUnit.SECONDS);
            stream.start(new Recorder());
            byte[] reply = new byte[64 * 1024];
            Arrays.fill(reply, (byte) 7);
            stream.write(ByteBuffer.wrap(reply));
            stream.close();
            assertThat(peer.getInputStream().readAllBytes()).isEqualTo(reply);
            stream.closeFuture().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /**
     * A close held behind data a paused handler has not taken yet, then an abort (a splice whose far side failed):
     * the held data is dropped, and the handler is still told the end, once, with an error.
     */
    @Test
    void anAbortAfterAHeldCloseStillTellsTheHandlerOnceWithAnError() {
        EmbeddedChannel channel = new EmbeddedChannel();
        NettyTransportStream stream = NettyTransportStream.attach(channel, PeerInfo.socket("tcp", SecurityLevel.UNPROTECTED, null, null));
        List<Throwable> closed = new CopyOnWriteArrayList<>();
        stream.start(new StreamHandler() {
            @Override
            public void onData(ByteBuffer data) {
                data.position(data.limit());
                stream.pauseReading(); // a slow sink
            }

            @Override
            public void onClosed(Throwable error) {
                closed.add(error == null ? new AssertionError("a clean end") : error);
            }
        });
        channel.runPendingTasks();
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {1}));
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {2})); // held: reading is paused
        stream.close();
        channel.runPendingTasks();
        channel.runPendingTasks();
        assertThat(stream.closeFuture().toCompletableFuture()).isDone();
        assertThat(closed).as("told only after the held data").isEmpty();
        stream.abort();
        channel.runPendingTasks();
        stream.resumeReading();
        channel.runPendingTasks();
        assertThat(closed).as("the end, told once").singleElement().isInstanceOf(java.io.IOException.class);
    }

    /**
     * A peer that reads nothing while our close waits for its queued writes: after the send timeout (1 s in this
     * module's tests, 60 s by default) the stream is aborted, so the connection ends whatever the peer does, and
     * our handler is told an error, not a clean end.
     */
    @Test
    void aCloseThatAPeerNeverReadsEndsAfterTheSendTimeout() throws Exception {
        assertThat(io.alknet.stream.support.AbstractTransportStream.SEND_TIMEOUT_MILLIS).as("-Dalknet.send-timeout from this module's pom").isEqualTo(1000);
        try (Socket peer = new Socket()) {
            peer.setReceiveBufferSize(16 * 1024);
            peer.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), listener.address().port()));
            TransportStream stream = listener.accept().toCompletableFuture().get(10, TimeUnit.SECONDS);
            java.util.concurrent.CompletableFuture<Throwable> closed = new java.util.concurrent.CompletableFuture<>();
            stream.start(new StreamHandler() {
                @Override
                public void onData(ByteBuffer data) {
                    data.position(data.limit());
                }

                @Override
                public void onClosed(Throwable error) {
                    closed.complete(error);
                }
            });
            byte[] chunk = new byte[64 * 1024];
            for (int i = 0; i < 256; i++) { // 16 MiB: far more than the socket buffers hold
                stream.write(ByteBuffer.wrap(chunk));
            }
            stream.close();
            assertThat(closed.get(30, TimeUnit.SECONDS)).as("the error the stream ended with").isNotNull()
                    .hasMessageContaining("read nothing");
            peer.setSoTimeout(10_000);
            InputStream in = peer.getInputStream();
            byte[] buffer = new byte[64 * 1024];
            assertThatThrownBy(() -> {
                while (in.read(buffer) >= 0) {
                    // what arrived before the reset
                }
            }).as("the peer sees a reset, not an end of data").isInstanceOf(java.net.SocketException.class);
        }
    }

    /** Records the events a handler sees, in order. */
    private static final class Recorder implements StreamHandler {
        final List<String> log = new CopyOnWriteArrayList<>();
        private volatile long bytes;
        private final CountDownLatch inputClosed = new CountDownLatch(1);
        private final CountDownLatch closed = new CountDownLatch(1);

        @Override
        public void onData(ByteBuffer data) {
            bytes += data.remaining();
            data.position(data.limit());
            if (log.isEmpty() || !log.getLast().equals("data")) {
                log.add("data");
            }
        }

        @Override
        public void onInputClosed() {
            log.add("input-closed");
            inputClosed.countDown();
        }

        @Override
        public void onClosed(Throwable error) {
            log.add("closed");
            closed.countDown();
        }

        long received() {
            return bytes;
        }

        void awaitClosed() throws InterruptedException {
            assertThat(closed.await(10, TimeUnit.SECONDS)).as("close seen").isTrue();
        }

        void awaitInputClosed() throws InterruptedException {
            assertThat(inputClosed.await(10, TimeUnit.SECONDS)).as("end of input seen").isTrue();
        }
    }
}
