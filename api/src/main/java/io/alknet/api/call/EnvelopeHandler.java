package io.alknet.api.call;

/**
 * Receives the envelopes a peer sent, in order. Implemented by the kernel; called by the interface after
 * decoding a frame. Must not block (it is called on I/O threads).
 */
public interface EnvelopeHandler {

    void onEnvelope(EventEnvelope envelope);

    /**
     * A frame could not be decoded (invalid JSON, not an envelope, too large): the interface skipped it and
     * carries on; the kernel answers with a {@code PROTOCOL_ERROR}.
     *
     * @param requestId the id the frame seemed to carry, or ""
     */
    void onMalformed(String requestId, String reason);

    /**
     * The peer sent end-of-stream: no more envelopes come, but answers may still be sent.
     *
     * @return completes when the calls the peer started have finished; the interface then closes the channel
     */
    default java.util.concurrent.CompletionStage<Void> onInputEnded() {
        return java.util.concurrent.CompletableFuture.completedFuture(null);
    }

    /** The channel closed; no more envelopes come. */
    void onClosed();
}
