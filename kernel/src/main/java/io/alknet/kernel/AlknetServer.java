package io.alknet.kernel;

import io.alknet.api.transport.TransportAddress;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A running alknet server. Created by {@link Alknet#server(ServerOptions)}.
 *
 * <p>Threading: all methods are thread-safe.
 */
public interface AlknetServer extends AutoCloseable {

    /** How a stop ended. */
    enum StopResult {
        /** Every session drained within the grace period. */
        GRACEFUL,
        /** Some sessions were cut off when the grace period ran out. */
        FORCED
    }

    /** The addresses actually bound, in listener order (a requested port 0 replaced by the real one). */
    List<TransportAddress> listenAddresses();

    /** Facts operators need, e.g. {@code host-key-fingerprint}, per stream interface. */
    Map<String, String> info();

    /**
     * The operations this server serves over the call protocol (SSH control channel, raw framing, HTTP):
     * the built-ins, the plugins' and any an embedder registers here.
     */
    io.alknet.api.call.OperationRegistry operations();

    /**
     * Makes an in-process service available to handlers through {@code context.env().service(type)} (the
     * spec's third dispatch path), e.g. a typed client of a database the operations share.
     */
    <T> void provideService(Class<T> type, T service);

    /** The server's pubsub hub: publish to every subscribed connection, or subscribe in-process. */
    io.alknet.api.call.PubSub pubsub();

    /**
     * A caller for each connection that speaks the call protocol right now (the server calls its clients,
     * spec: head/worker); each peer's calls run there under the server's own identity.
     */
    List<io.alknet.api.call.Caller> peers();

    /** Open sessions right now. */
    int sessionCount();

    /**
     * Re-reads authorized keys, the policy and other dynamic sources and swaps them in atomically. New
     * channels in open sessions use the new snapshot; sessions whose identity is no longer accepted are
     * closed.
     *
     * @return the new generation number
     * @throws io.alknet.api.AlknetException naming the problem; the previous configuration stays in force
     */
    long reload();

    /**
     * Applies the dynamic part of {@code options} — identity providers, forwarding policy, their
     * {@code identity.*} and {@code policy.*} settings, and the limits — as one atomic swap, re-reading their
     * files. What needs a restart (listeners, interface and transport settings) is logged and left as it is.
     * Use it after re-reading a configuration file.
     *
     * @return the new generation number
     * @throws io.alknet.api.AlknetException naming the problem; the previous configuration stays in force
     */
    long reload(ServerOptions options);

    /** Stops accepting, disconnects sessions after letting them drain for up to {@code grace}, releases everything. */
    StopResult stop(Duration grace);

    /** Blocks until the server stopped. */
    void awaitTermination() throws InterruptedException;

    /** {@link #stop(Duration)} with the configured grace period. */
    @Override
    void close();
}
