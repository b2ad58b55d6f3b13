package io.alknet.kernel.internal.call;

import io.alknet.api.call.EventEnvelope;
import io.alknet.api.call.PubSub;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Pubsub events on their way to one subscriber: a bounded queue drained through {@code sink} with a few
 * writes in flight. When the subscriber cannot keep up the queue fills and further events are dropped and
 * counted; once there is room again the subscriber first gets a {@code __dropped} event saying how many it
 * lost. Publishers never wait and other subscribers never notice. Thread-safe.
 */
final class Outbox {

    /** Events handed to the sink but not yet written. */
    private static final int IN_FLIGHT = 256;

    private final int capacity;
    private final Function<EventEnvelope, CompletionStage<Void>> sink;
    private final ArrayDeque<EventEnvelope> queue = new ArrayDeque<>();
    private long dropped;
    private int inFlight;
    private boolean closed;
    private boolean draining;

    private final io.alknet.api.metrics.Metrics.Counter droppedEvents;

    Outbox(int capacity, Function<EventEnvelope, CompletionStage<Void>> sink) {
        this(capacity, sink, io.alknet.api.metrics.Metrics.NONE.counter("none", "none"));
    }

    /** @param droppedEvents counts every event dropped, across all outboxes */
    Outbox(int capacity, Function<EventEnvelope, CompletionStage<Void>> sink, io.alknet.api.metrics.Metrics.Counter droppedEvents) {
        this.droppedEvents = java.util.Objects.requireNonNull(droppedEvents, "droppedEvents");
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
        this.sink = sink;
    }

    /** Queues an event, or drops it when the queue is full. Never blocks. */
    void offer(EventEnvelope event) {
        synchronized (this) {
            if (closed) {
                return;
            }
            if (queue.size() >= capacity) {
                dropped++;
                droppedEvents.increment();
                return;
            }
            if (dropped > 0) {
                queue.add(new EventEnvelope(PubSub.DROPPED, event.id(), Map.of("dropped", dropped)));
                dropped = 0;
            }
            queue.add(event);
        }
        drain();
    }

    /** Events lost so far and not yet reported. */
    synchronized long dropped() {
        return dropped;
    }

    void close() {
        synchronized (this) {
            closed = true;
            queue.clear();
        }
    }

    /** One thread drains at a time; a write that completes at once does not recurse (its drain returns). */
    private void drain() {
        synchronized (this) {
            if (draining) {
                return;
            }
            draining = true;
        }
        while (true) {
            EventEnvelope next;
            synchronized (this) {
                if (closed || inFlight >= IN_FLIGHT || queue.isEmpty()) {
                    draining = false;
                    return;
                }
                next = queue.poll();
                inFlight++;
            }
            CompletionStage<Void> written;
            try {
                written = sink.apply(next);
            } catch (RuntimeException e) {
                synchronized (this) {
                    draining = false;
                }
                close();
                return;
            }
            written.whenComplete((ignored, error) -> {
                synchronized (this) {
                    inFlight--;
                    if (error != null) {
                        closed = true;
                        queue.clear();
                    }
                }
                drain();
            });
        }
    }
}
