package io.alknet.api.call;

import java.util.function.Consumer;

/**
 * Topic events over the call protocol's channel (spec: pubsub). An event is an envelope whose
 * {@code type} is the event name and whose {@code id} is the topic. Delivery is at most once, in publish
 * order per publisher, in memory only: nothing is kept for a subscriber that is not connected, and a
 * subscriber that cannot keep up loses events (it receives a {@code __dropped} event saying how many)
 * instead of slowing the publisher or the other subscribers.
 *
 * <p>Threading: any thread; nothing blocks. Each subscription's listener runs on a virtual thread of its
 * own, one event at a time, in order.
 */
public interface PubSub {

    /** The event sent to a subscriber that lost events; its payload is {@code {"dropped": n}}. */
    String DROPPED = "__dropped";

    /** Publishes an event of type {@code type} on {@code topic} to every subscriber of that topic. */
    void publish(String topic, String type, Object payload);

    /** Receives the events of {@code topic} ("" for every topic) until the subscription is closed. */
    Subscription subscribe(String topic, Consumer<EventEnvelope> listener);

    /** An active subscription. */
    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
