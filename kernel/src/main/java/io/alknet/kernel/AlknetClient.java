package io.alknet.kernel;

import io.alknet.api.frontend.Tunnel;

import java.net.SocketAddress;
import java.util.List;

/**
 * A running alknet client: a session to the server (re-established when lost) and its front ends.
 * Created by {@link Alknet#client(ClientOptions)}.
 *
 * <p>Threading: all methods are thread-safe.
 */
public interface AlknetClient extends AutoCloseable {

    /** The tunnel, for opening channels from code. */
    Tunnel tunnel();

    /**
     * Calls operations on the server over the call protocol (the SSH control channel, opened on first use
     * and again after each reconnect). Calls made while disconnected fail with a retryable {@code ABORTED}.
     */
    io.alknet.api.call.Caller calls();

    /** The operations this client serves to the server (head/worker: the server may call its clients). */
    io.alknet.api.call.OperationRegistry operations();

    /** Makes an in-process service available to this client's handlers through {@code context.env().service(type)}. */
    <T> void provideService(Class<T> type, T service);

    /** Pubsub through the server: events published here reach every subscriber of the topic. */
    io.alknet.api.call.PubSub pubsub();

    /** True while a session is up. */
    boolean connected();

    /** Traffic counters. */
    ClientStats stats();

    /** The local addresses of each front end, in the order they were configured. */
    List<List<SocketAddress>> frontEndAddresses();

    /** Blocks until the client stopped (closed, or the session was lost with reconnect disabled). */
    void awaitTermination() throws InterruptedException;

    /** Stops the front ends, lets open streams drain for the grace period, disconnects. */
    @Override
    void close();
}
