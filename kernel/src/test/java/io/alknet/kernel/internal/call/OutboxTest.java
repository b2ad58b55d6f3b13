package io.alknet.kernel.internal.call;

import io.alknet.api.call.EventEnvelope;
import io.alknet.api.call.PubSub;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

class OutboxTest {

    private static EventEnvelope event(int n) {
        return new EventEnvelope("tick", "t", Map.of("n", n));
    }

    @Test
    void aSubscriberThatKeepsUpGetsEverythingInOrderWithoutDeepRecursion() {
        List<EventEnvelope> sent = new ArrayList<>();
        Outbox outbox = new Outbox(4, envelope -> {
            sent.add(envelope);
            return CompletableFuture.completedFuture(null); // written at once: must not recurse per event
        });
        for (int i = 0; i < 100_000; i++) {
            outbox.offer(event(i));
        }
        assertThat(sent).hasSize(100_000);
        assertThat(sent.getLast().payload()).isEqualTo(Map.of("n", 99_999));
    }

    @Test
    void aStalledSubscriberLosesWhatDoesNotFitAndIsToldHowMuch() {
        List<EventEnvelope> sent = new ArrayList<>();
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        Outbox outbox = new Outbox(10, envelope -> {
            sent.add(envelope);
            CompletableFuture<Void> write = new CompletableFuture<>();
            writes.add(write);
            return write;
        });
        for (int i = 0; i < 1000; i++) {
            outbox.offer(event(i));
        }
        // 256 writes in flight, 10 queued, the rest dropped
        assertThat(sent).hasSize(256);
        assertThat(outbox.dropped()).isEqualTo(1000 - 256 - 10);
        List.copyOf(writes).forEach(write -> write.complete(null));
        // the ten queued went out; the notice waits for the next event
        assertThat(sent).hasSize(266);
        outbox.offer(event(1000));
        assertThat(sent.get(266).type()).isEqualTo(PubSub.DROPPED);
        assertThat(sent.get(266).payload()).isEqualTo(Map.of("dropped", 734L));
        assertThat(sent.get(267).payload()).isEqualTo(Map.of("n", 1000));
    }

    @Test
    void aFailedWriteClosesTheOutbox() {
        List<EventEnvelope> sent = new ArrayList<>();
        Outbox outbox = new Outbox(10, envelope -> {
            sent.add(envelope);
            return CompletableFuture.failedFuture(new java.io.IOException("closed"));
        });
        outbox.offer(event(1));
        outbox.offer(event(2));
        assertThat(sent).hasSize(1);
    }
}
