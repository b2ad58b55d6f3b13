package io.alknet.api.interfaces;

import io.alknet.api.Identity;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The server half of one session, as the kernel sees it.
 *
 * <p>Threading: any thread; never blocks.
 */
public interface ServerConnection {

    /** The authenticated identity, once authentication succeeded. */
    Optional<Identity> identity();

    /**
     * Ends the session: tells the peer (SSH disconnect "by application"), lets open channels drain for
     * up to {@code grace}, then closes the stream.
     */
    CompletionStage<Void> close(Duration grace);

    /** Completes when the session ended, for whatever reason. */
    CompletionStage<Void> closeFuture();
}
