package io.alknet.api.call;

/**
 * The code of a subscription: emits results through {@code sink} and returns when the stream is done
 * (the caller then receives {@code call.completed}). Runs on a virtual thread of its own; {@link EventSink#emit}
 * blocks while the connection cannot take more (back-pressure) and throws once the caller cancelled.
 */
@FunctionalInterface
public interface SubscriptionHandler {

    void subscribe(Object input, OperationContext context, EventSink sink) throws Exception;
}
