package io.alknet.api.call;

/** Where a subscription handler sends its results. */
public interface EventSink {

    /**
     * Sends one result. Blocks while the peer's connection is congested.
     *
     * @throws OperationException {@code ABORTED} when the caller cancelled or went away
     */
    void emit(Object item);
}
