package io.alknet.stream.support;

import io.alknet.api.stream.PeerInfo;
import io.alknet.api.stream.StreamHandler;
import io.alknet.api.transport.SecurityLevel;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The stream rules of {@link AbstractTransportStream}, against a fake transport that records the primitives it is
 * asked for and reports what the test tells it to (pure logic: the real transports run the same rules through
 * {@code TransportContract}).
 */
class AbstractTransportStreamTest {

    private static final PeerInfo PEER = PeerInfo.socket("fake", SecurityLevel.UNPROTECTED, null, null);

    /** A transport whose wire is a list of what it was asked to do. */
    private static class FakeStream extends AbstractByteBufferStream {
        final List<String> wire = new CopyOnWriteArrayList<>();
        final List<String> released = new CopyOnWriteArrayList<>();
        boolean oneAtATime;
        volatile boolean peerReading;
        volatile long sendTimeout = 60_000;
        final java.util.concurrent.atomic.AtomicLong progressChecks = new java.util.concurrent.atomic.AtomicLong();

        FakeStream() {
            super(PEER);
        }

        @Override
        protected void doWrite(ByteBuffer data) {
            wire.add("write " + StandardCharsets.US_ASCII.decode(data));
        }

        @Override
        protected void doShutdownOutput() {
            wire.add("shutdown");
        }

        @Override
        protected void doClose() {
            wire.add("close");
            transportClosed(null);
        }

        @Override
        protected void doAbort(Throwable cause) {
            wire.add("abort");
            transportClosed(cause);
        }

        @Override
        protected void doPauseReading() {
            wire.add("pause");
        }

        @Override
        protected void doResumeReading() {
            wire.add("read");
        }

        @Override
        protected void release(ByteBuffer data) {
            released.add(StandardCharsets.US_ASCII.decode(data.duplicate()).toString());
        }

        @Override
        protected boolean oneWriteAtATime() {
            return oneAtATime;
        }

        /** The peer takes a few bytes between any two looks, or none at all. */
        @Override
        protected long outboundProgress() {
            long checks = progressChecks.incrementAndGet();
            return peerReading ? checks : 0;
        }

        @Override
        protected long sendTimeoutMillis() {
            return sendTimeout;
        }

        void arrive(String text) {
            dataArrived(ascii(text));
        }
    }

    /** Records the handler's events in order. */
    private static final class Events implements StreamHandler {
        final List<String> log = new CopyOnWriteArrayList<>();
        final CompletableFuture<Throwable> closed = new CompletableFuture<>();

        @Override
        public void onData(ByteBuffer data) {
            log.add(StandardCharsets.US_ASCII.decode(data).toString());
        }

        @Override
        public void onInputClosed() {
            log.add("input-closed");
        }

        @Override
        public void onClosed(Throwable error) {
            log.add("closed" + (error == null ? "" : " with error"));
            closed.complete(error);
        }
    }

    private static ByteBuffer ascii(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void whatArrivesBeforeStartIsToldInOrderOnStartAndStartingTwiceFails() {
        FakeStream stream = new FakeStream();
        stream.arrive("a");
        stream.arrive("b");
        stream.inputEnded();
        stream.transportClosed(null);
        assertThat(stream.closeFuture()).isDone();
        assertThat(stream.wire).as("nothing is read before start").isEmpty();

        Events events = new Events();
        stream.start(events);
        assertThat(events.log).containsExactly("a", "b", "input-closed", "closed");
        assertThatThrownBy(() -> stream.start(new Events())).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void startingReadsAndPausingHoldsWhatStillArrivesUntilResumed() {
        FakeStream stream = new FakeStream();
        Events events = new Events();
        stream.start(events);
        stream.arrive("one");
        stream.pauseReading();
        stream.arrive("two"); // a read already under way
        stream.inputEnded();
        assertThat(events.log).containsExactly("one");
        stream.resumeReading();
        assertThat(events.log).containsExactly("one", "two", "input-closed");
        assertThat(stream.wire).containsExactly("read", "pause", "read");
    }

    @Test
    void writesAreHandedOverInCallOrderAndAnEndOnlyAfterTheLastCompleted() {
        FakeStream stream = new FakeStream();
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (String text : List.of("1", "2", "3")) {
            writes.add(stream.write(ascii(text)).toCompletableFuture());
        }
        CompletionStage<Void> shutdown = stream.shutdownOutput();
        stream.close();
        assertThat(stream.wire).as("the end waits for the writes").containsExactly("write 1", "write 2", "write 3");
        stream.written(2);
        assertThat(writes.get(1)).isCompleted();
        assertThat(writes.get(2)).isNotDone();
        assertThat(stream.wire).doesNotContain("shutdown");
        stream.written(1);
        assertThat(stream.wire).as("the close waits for the half-close").endsWith("shutdown");
        assertThat(shutdown.toCompletableFuture()).isNotDone();
        stream.outputShutdown();
        assertThat(shutdown.toCompletableFuture()).isCompleted();
        assertThat(stream.wire).containsExactly("write 1", "write 2", "write 3", "shutdown", "close");
        assertThat(stream.write(ascii("late")).toCompletableFuture()).as("a write after close").isCompletedExceptionally();
    }

    @Test
    void oneWriteAtATimeHandsOverTheNextWhenTheLastCompleted() {
        FakeStream stream = new FakeStream();
        stream.oneAtATime = true;
        stream.write(ascii("1"));
        stream.write(ascii("2"));
        assertThat(stream.wire).containsExactly("write 1");
        stream.written(1);
        assertThat(stream.wire).containsExactly("write 1", "write 2");
    }

    @Test
    void writesFromManyThreadsKeepEachThreadsOrder() throws Exception {
        FakeStream stream = new FakeStream();
        int threads = 4;
        int each = 500;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String name = "t" + t + ":";
            writers.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < each; i++) {
                    stream.write(ascii(name + i));
                }
            }));
        }
        go.countDown();
        for (Thread writer : writers) {
            writer.join();
        }
        assertThat(stream.wire).hasSize(threads * each);
        for (int t = 0; t < threads; t++) {
            String prefix = "write t" + t + ":";
            List<String> mine = stream.wire.stream().filter(w -> w.startsWith(prefix)).toList();
            for (int i = 0; i < each; i++) {
                assertThat(mine.get(i)).isEqualTo(prefix + i);
            }
        }
    }

    @Test
    void aFailedWriteEndsTheStreamWithThatErrorAndFailsTheRest() {
        FakeStream stream = new FakeStream();
        Events events = new Events();
        stream.start(events);
        CompletableFuture<Void> first = stream.write(ascii("1")).toCompletableFuture();
        CompletableFuture<Void> second = stream.write(ascii("2")).toCompletableFuture();
        IOException broken = new IOException("broken pipe");
        stream.writeFailed(broken);
        assertThat(first).isCompletedExceptionally();
        assertThat(second).as("failed when the transport closed").isCompletedExceptionally();
        assertThat(stream.wire).endsWith("abort");
        assertThat(events.closed.getNow(null)).isSameAs(broken);
        assertThat(events.log).doesNotContain("input-closed");
    }

    @Test
    void abortDropsQueuedWritesAndHeldDataAndTellsTheHandlerAnError() {
        FakeStream stream = new FakeStream();
        stream.oneAtATime = true;
        Events events = new Events();
        stream.pauseReading();
        stream.start(events);
        stream.arrive("held");
        CompletableFuture<Void> sent = stream.write(ascii("1")).toCompletableFuture();
        CompletableFuture<Void> queued = stream.write(ascii("2")).toCompletableFuture();
        stream.abort();
        stream.abort(); // idempotent
        assertThat(sent).isCompletedExceptionally();
        assertThat(queued).isCompletedExceptionally();
        assertThat(stream.released).contains("held", "2");
        assertThat(stream.wire).containsOnlyOnce("abort").doesNotContain("write 2", "close");
        assertThat(events.log).containsExactly("closed with error");
        assertThat(stream.isOpen()).isFalse();
    }

    @Test
    void theEndOfInputAfterOurHalfCloseClosesTheStream() {
        FakeStream stream = new FakeStream();
        Events events = new Events();
        stream.start(events);
        stream.shutdownOutput();
        stream.outputShutdown();
        assertThat(stream.wire).doesNotContain("close");
        stream.arrive("last");
        stream.inputEnded();
        assertThat(stream.wire).endsWith("close");
        assertThat(events.log).containsExactly("last", "input-closed", "closed");
    }

    @Test
    void aHandlerThatThrowsAbortsTheStream() {
        FakeStream stream = new FakeStream();
        CompletableFuture<Throwable> closed = new CompletableFuture<>();
        stream.start(new StreamHandler() {
            @Override
            public void onData(ByteBuffer data) {
                throw new IllegalStateException("handler bug");
            }

            @Override
            public void onClosed(Throwable error) {
                closed.complete(error);
            }
        });
        stream.arrive("x");
        assertThat(stream.wire).endsWith("abort");
        assertThat(closed.getNow(null)).hasMessageContaining("handler bug");
    }

    @Test
    void anEndWaitingOnAPeerThatTakesNothingAbortsTheStream() throws Exception {
        FakeStream stream = new FakeStream();
        stream.sendTimeout = 20;
        Events events = new Events();
        stream.start(events);
        stream.write(ascii("stuck"));
        stream.close();
        Throwable error = events.closed.get(30, TimeUnit.SECONDS);
        assertThat(error).hasMessageContaining("read nothing");
        assertThat(stream.wire).endsWith("abort").doesNotContain("close");
    }

    @Test
    void anEndWaitingOnAPeerThatTakesBytesKeepsWaiting() throws Exception {
        FakeStream stream = new FakeStream();
        stream.sendTimeout = 20;
        stream.peerReading = true;
        Events events = new Events();
        stream.start(events);
        stream.write(ascii("slow"));
        stream.close();
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (stream.progressChecks.get() < 5 && System.nanoTime() < giveUp) {
            Thread.sleep(10); // the watch looks several times and sees progress each time
        }
        assertThat(stream.progressChecks.get()).as("looks at the peer's progress while the close waits").isGreaterThanOrEqualTo(5);
        assertThat(stream.wire).doesNotContain("abort");
        stream.written(1);
        assertThat(events.closed.get(30, TimeUnit.SECONDS)).isNull();
        assertThat(stream.wire).endsWith("close");
    }
}
