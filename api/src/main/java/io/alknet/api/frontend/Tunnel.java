package io.alknet.api.frontend;

import io.alknet.api.iface.TunnelSession;
import io.alknet.api.stream.TransportStream;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The client's tunnel as front ends see it: it outlives individual sessions (the client reconnects),
 * so front ends keep their local listeners open and ask for channels through it.
 *
 * <p>Threading: any thread; never blocks.
 */
public interface Tunnel {

    /**
     * Opens a channel on the current session.
     *
     * @return the channel; or exceptionally with an {@link io.alknet.api.AlknetException}: the server's
     *     refusal ({@code FORWARD_DENIED}, {@code TARGET_REFUSED}, …) or {@code SESSION_CLOSED} at once
     *     while no session is up
     */
    CompletionStage<TransportStream> openChannel(String host, int port);

    /** The current session, if one is up. */
    Optional<TunnelSession> session();
}
