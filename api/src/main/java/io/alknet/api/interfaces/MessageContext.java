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
}
