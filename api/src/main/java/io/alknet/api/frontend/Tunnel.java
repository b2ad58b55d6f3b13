package io.alknet.api.frontend;

import io.alknet.api.interfaces.TunnelSession;
import io.alknet.api.stream.Splice;
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

    /**
     * Opens a UDP relay on the current session: a stream of {@link io.alknet.api.datagram.DatagramFraming}
     * frames, destination addresses going out, source addresses coming back.
     *
     * @return the relay; or exceptionally with an {@link io.alknet.api.AlknetException}: {@code UNSUPPORTED}
     *     when the server has no UDP relay (OpenSSH), {@code FORWARD_DENIED}, {@code SESSION_CLOSED}
     */
    CompletionStage<TransportStream> openUdpRelay();

    /** The current session, if one is up. */
    Optional<TunnelSession> session();

    /**
     * Joins a local connection with a channel of this tunnel, {@link Splice#start Splice.start(local, channel)}: bytes
     * from {@code local} go up the channel, the channel's come down. The client counts them in its statistics (the
     * splice counts them already); front ends use this rather than {@code Splice.start} for the channels they open.
     */
    default Splice splice(TransportStream local, TransportStream channel) {
        return Splice.start(local, channel);
    }

    /**
     * Tells the client's statistics about bytes a front end carried through a channel without {@link #splice}, such
     * as the datagrams of a UDP relay: {@code up} sent into the tunnel, {@code down} received from it.
     */
    default void carried(long up, long down) {
    }
}
