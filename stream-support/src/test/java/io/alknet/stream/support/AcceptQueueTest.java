package io.alknet.stream.support;

import io.alknet.api.stream.PeerInfo;
import io.alknet.api.stream.TransportStream;
import io.alknet.api.transport.SecurityLevel;
import io.alknet.api.transport.TransportAddress;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AcceptQueueTest {

    private static final TransportAddress ADDRESS = TransportAddress.of("test", "here", 1);

    private static TransportStream stream() {
        return BlockingStream.open(PeerInfo.socket("test", SecurityLevel.UNPROTECTED, null, null),
                BlockingIo.of(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream()));
    }

    @Test
    void streamsOfferedBeforeOrAfterAnAcceptAreTakenInOrder() throws Exception {
        AcceptQueue queue = new AcceptQueue(ADDRESS, null);
        TransportStream first = stream();
        TransportStream second = stream();
        queue.offer(first);
        assertThat(queue.accept().toCompletableFuture().get(1, TimeUnit.SECONDS)).isSameAs(first);
        CompletionStage<TransportStream> pending = queue.accept();
        assertThatThrownBy(queue::accept).as("one accept at a time").isInstanceOf(IllegalStateException.class);
        queue.offer(second);
        assertThat(pending.toCompletableFuture().get(1, TimeUnit.SECONDS)).isSameAs(second);
        assertThat(queue.address()).isEqualTo(ADDRESS);
    }

    @Test
    void closingFailsThePendingAcceptAbortsWhatNobodyTookAndRunsTheCloseActionOnce() throws Exception {
        AtomicInteger closes = new AtomicInteger();
        AcceptQueue queue = new AcceptQueue(ADDRESS, closes::incrementAndGet);
        CompletableFuture<TransportStream> pending = queue.accept().toCompletableFuture();
        queue.close();
        queue.close();
        assertThat(closes).hasValue(1);
        assertThat(pending).isCompletedExceptionally();
        assertThat(queue.accept().toCompletableFuture()).isCompletedExceptionally();

        TransportStream late = stream();
        queue.offer(late);
        late.closeFuture().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(late.isOpen()).as("offered to a closed queue: aborted").isFalse();
    }

    @Test
    void anAcceptLoopSkipsAFailedConnectionAndEndsWhenItsSocketCloses() throws Exception {
        SynchronousQueue<Object> arrivals = new SynchronousQueue<>();
        AcceptQueue queue = AcceptQueue.acceptLoop(ADDRESS, () -> {
            try {
                Object next = arrivals.take();
                if (next instanceof Exception e) {
                    throw e;
                }
                return (TransportStream) next;
            } catch (java.io.IOException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, null);
        TransportStream stream = stream();
        arrivals.put(new java.io.IOException("a handshake failed"));
        arrivals.put(stream);
        assertThat(queue.accept().toCompletableFuture().get(10, TimeUnit.SECONDS)).isSameAs(stream);
        CompletableFuture<TransportStream> pending = queue.accept().toCompletableFuture();
        arrivals.put(new ClosedChannelException());
        assertThat(pending.handle((s, e) -> e).get(10, TimeUnit.SECONDS)).isInstanceOf(ClosedChannelException.class);
        assertThat(queue.isClosed()).isTrue();
    }
}
