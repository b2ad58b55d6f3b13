package io.alknet.api.interfaces;

import java.util.concurrent.CompletionStage;

/**
 * What the kernel offers a {@link MessageInterface}: the protocol layer that answers requests.
 *
 * <p>Threading: any thread; never blocks.
 */
public interface MessageContext {

    /** Authenticates, authorizes and dispatches one request. */
    CompletionStage<InterfaceResponse> handle(InterfaceRequest request);

    /**
     * Checks a request's credential before its body is read, so that a listener holds no body for a stranger: true
     * when {@link #handle} would accept the credential. A refusal is logged and counts against the source exactly as
     * a refused {@link #handle} would (and that request is not handed to {@code handle} afterwards); an accepted
     * credential is checked again by {@code handle}. Default: true, for a context that cannot check early.
     *
     * @param authToken the bearer token or API key presented, if any (never logged)
     */
    default CompletionStage<Boolean> accepts(io.alknet.api.stream.PeerInfo peer, java.util.Optional<String> authToken) {
        return java.util.concurrent.CompletableFuture.completedFuture(true);
    }
}
