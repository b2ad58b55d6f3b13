package io.alknet.api.interfaces;

import io.alknet.api.stream.TransportStream;

import java.util.concurrent.CompletionStage;

/**
 * A listener the server holds for this client ({@code -R}).
 */
public interface RemoteForward {

    /** The port the server bound (useful when {@code 0} was requested). */
    int boundPort();

    /** Asks the server to stop listening. */
    CompletionStage<Void> cancel();

    /**
     * Receives each connection the server accepted on the forward.
     *
     * <p>Threading: called on an I/O thread; must not block. It owns {@code channel}: start it or close it.
     */
    @FunctionalInterface
    interface Handler {
        /**
         * @param channel        the tunnel channel carrying the accepted connection
         * @param originatorHost the address of the connecting peer as the server reported it
         * @param originatorPort its port
         */
        void incoming(TransportStream channel, String originatorHost, int originatorPort);
    }
}
