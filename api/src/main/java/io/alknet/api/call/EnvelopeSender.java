package io.alknet.api.call;

import java.util.concurrent.CompletionStage;

/**
 * Sends envelopes to the peer over some channel (an SSH control channel, a raw stream). Implemented by
 * the interface, which frames and encodes; used by the kernel. Threading: any thread; envelopes are sent
 * in call order.
 */
public interface EnvelopeSender {

    /** Sends one envelope; completes when it was written (back-pressure: do not run far ahead of it). */
    CompletionStage<Void> send(EventEnvelope envelope);

    /** Closes the channel. */
    void close();
}
