package io.alknet.api.interfaces;

import io.alknet.api.stream.PeerInfo;
import io.alknet.api.stream.TransportStream;

import java.util.concurrent.CompletionStage;

/**
 * The client half of an authenticated session: opens tunnel channels and asks for remote forwards.
 *
 * <p>Threading: any thread; never blocks. Owner: whoever called
 * {@link StreamInterface#connect}; it calls {@link #close()}.
 */
public interface TunnelSession extends AutoCloseable {

    /** The transport connection under the session. */
    PeerInfo peer();

    /** The server's host key fingerprint ({@code SHA256:…}) as verified. */
    String serverKeyFingerprint();

    /**
     * Opens a channel to {@code host:port} as seen from the server ({@code direct-tcpip}). The host is
     * sent unresolved.
     *
     * @return the channel as a stream; or exceptionally with an {@link io.alknet.api.AlknetException}
     *     ({@code FORWARD_DENIED}, {@code TARGET_REFUSED}, {@code TARGET_UNREACHABLE}, …,
     *     {@code SESSION_CLOSED})
     */
    CompletionStage<TransportStream> openChannel(String host, int port);

    /**
     * Opens a UDP relay: a stream of {@link io.alknet.api.datagram.DatagramFraming} frames. Each datagram
     * the client sends names its destination; each one coming back names its source. The server checks
     * every destination against the forwarding policy.
     *
     * @return the relay; or exceptionally with {@code UNSUPPORTED} when the server has no UDP relay
     */
    CompletionStage<TransportStream> openUdpRelay();

    /**
     * Asks the server to listen on {@code bindHost:bindPort} and send each connection back; each is
     * handed to {@code handler} as a stream.
     *
     * @return the established forward, or exceptionally with {@code FORWARD_DENIED} and the server's reason
     */
    CompletionStage<RemoteForward> requestRemoteForward(String bindHost, int bindPort, RemoteForward.Handler handler);

    /**
     * Opens the call protocol to the server (for SSH: a {@code direct-tcpip} channel to the reserved
     * {@code alknet-control:0}); the server's envelopes go to {@code fromServer}.
     *
     * @return how to send envelopes to the server; or exceptionally with {@code UNSUPPORTED} when this
     *     interface has no call protocol, {@code FORWARD_DENIED} when the server's policy refuses it
     */
    default CompletionStage<io.alknet.api.call.EnvelopeSender> openCalls(io.alknet.api.call.EnvelopeHandler fromServer) {
        return java.util.concurrent.CompletableFuture.failedFuture(new io.alknet.api.AlknetException(
                io.alknet.api.ErrorCode.UNSUPPORTED, "this session does not carry the call protocol"));
    }

    /** True while the session is usable. */
    boolean isOpen();

    /** Completes when the session ended. */
    CompletionStage<Void> closeFuture();

    /** Disconnects; open channels are closed. Idempotent. */
    @Override
    void close();
}
