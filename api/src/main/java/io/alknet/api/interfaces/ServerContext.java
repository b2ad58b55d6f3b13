package io.alknet.api.interfaces;

import io.alknet.api.Identity;
import io.alknet.api.identity.Credential;
import io.alknet.api.identity.IdentityResolution;
import io.alknet.api.stream.PeerInfo;
import io.alknet.api.stream.TransportStream;

import java.util.concurrent.CompletionStage;

/**
 * What the kernel offers the server half of one session: identity resolution, the forwarding policy and
 * outbound connections, with logging that never names a tunnel destination. One instance per connection.
 *
 * <p>Threading: every method may be called from any thread, including I/O threads; none blocks.
 */
public interface ServerContext {

    /** The connection this context belongs to. */
    PeerInfo peer();

    /**
     * Asks the identity provider chain about a credential. Does not log: a key offered without proof
     * (the SSH "would you accept this key" query) is not yet a login.
     */
    IdentityResolution resolve(Credential credential);

    /**
     * Records a successful login (one fixed-format log line) and binds {@code identity} to the connection.
     *
     * @throws io.alknet.api.AlknetException {@code QUOTA_EXCEEDED} when the identity already has as many sessions as
     *     its quota allows: the interface must end the connection and tell the peer the exception's message (SSH: a
     *     disconnect with reason "too many connections")
     */
    void authenticated(Credential credential, Identity identity);

    /**
     * Records a failed login in the fixed fail2ban format and counts it against the peer.
     *
     * @param reason stable reason code: {@code unknown_key}, {@code bad_signature}, {@code expired}, …
     * @return {@code true} if the peer may try again on this connection, {@code false} if the interface
     *     must disconnect (too many failures)
     */
    boolean authenticationFailed(Credential credential, String reason);

    /**
     * Records a failed login that carried no usable credential (an unsupported method, a malformed key).
     *
     * @return like {@link #authenticationFailed(Credential, String)}
     */
    boolean authenticationFailed(String user, String method, String reason);

    /**
     * Records that the peer broke the protocol before logging in (a bad identification line, an unsupported
     * version, a malformed packet), in one fail2ban-format line with a stable reason code; the interface
     * closes the connection itself. At most one line per connection; errors after login are not reported here.
     *
     * @param reason stable reason code: {@code bad_identification}, {@code unsupported_version},
     *               {@code protocol_error}, {@code bad_mac}, {@code kex_failed}
     */
    default void protocolError(String reason) {
    }

    /**
     * Records a credential the peer offered without proof that it holds it (the SSH "would you accept this
     * key" query) and that was refused. That alone is not a failed login: clients offer each key they hold,
     * and OpenSSH offers a certificate's plain key before the certificate. It counts against the attempts on
     * this connection at once, but is logged in the fail2ban format and penalized only if the connection
     * ends without logging in (as OpenSSH's sshd does not report such a query as a failure either).
     *
     * @return like {@link #authenticationFailed(Credential, String)}
     */
    default boolean queryRefused(Credential credential, String reason) {
        return authenticationFailed(credential, reason);
    }

    /**
     * Like {@link #queryRefused(Credential, String)}, for a query whose key could not be read or is of an
     * unsupported type.
     *
     * @return like {@link #authenticationFailed(Credential, String)}
     */
    default boolean queryRefused(String user, String method, String reason) {
        return authenticationFailed(user, method, reason);
    }

    /**
     * Opens an outbound connection for a local forward ({@code direct-tcpip}): checks the forwarding
     * policy against every resolved address, then connects to exactly an address that was allowed.
     *
     * @return the connected stream; or exceptionally with an {@link io.alknet.api.AlknetException} whose
     *     code is {@code FORWARD_DENIED}, {@code QUOTA_EXCEEDED}, {@code TARGET_REFUSED}, {@code TARGET_UNREACHABLE},
     *     {@code TARGET_UNRESOLVED} or {@code TARGET_TIMEOUT}; the message never names the destination
     */
    CompletionStage<TransportStream> openTarget(Identity identity, String host, int port);

    /**
     * Checks and resolves the destination of a relayed UDP datagram: the policy is asked about every
     * address {@code host} resolves to (with protocol UDP), and the first allowed one is returned. Callers
     * should cache the answer per destination for the life of the relay.
     *
     * @return the address to send to; or exceptionally with {@code FORWARD_DENIED} or {@code TARGET_UNRESOLVED}
     */
    CompletionStage<java.net.InetSocketAddress> resolveDatagramTarget(Identity identity, String host, int port);

    /**
     * Opens a listener for a remote forward ({@code tcpip-forward}) once the forwarding policy allows
     * {@code identity} to listen on {@code bindHost:bindPort}; every accepted connection is handed to
     * {@code accepted} (on an I/O thread; it must start or close the stream). A denial is logged without
     * the address. {@code localhost} means both loopback addresses, 127.0.0.1 and ::1, on one port (as OpenSSH
     * listens for {@code ssh -R PORT:…}); the policy is asked about 127.0.0.1, the same host to it.
     *
     * @return the bound listener; or exceptionally with an {@link io.alknet.api.AlknetException}:
     *     {@code FORWARD_DENIED} whose message is the policy's reason, or {@code INVALID_ARGUMENT} when
     *     the address cannot be bound
     */
    CompletionStage<RemoteListener> listenRemote(Identity identity, String bindHost, int bindPort,
                                                 java.util.function.Consumer<TransportStream> accepted);

    /**
     * Starts the call protocol for {@code identity} on a channel the interface opened for it (the SSH
     * control channel to {@code alknet-control:0}, a raw-framing stream): the kernel serves the peer's
     * calls, routes its results, and may call the peer through {@code toPeer}.
     *
     * @return where the interface delivers the peer's envelopes
     * @throws io.alknet.api.AlknetException {@code FORWARD_DENIED} when the forwarding policy keeps this
     *     identity off the control channel
     */
    io.alknet.api.call.EnvelopeHandler openCalls(Identity identity, io.alknet.api.call.EnvelopeSender toPeer);
}
