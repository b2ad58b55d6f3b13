package io.alknet.transport.iroh.internal;

import io.alknet.api.stream.TransportStream;
import io.alknet.api.transport.Listener;
import io.alknet.api.transport.TransportAddress;
import io.alknet.stream.support.AcceptQueue;

import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Accepts iroh connections for ALPN {@value IrohTransport#ALPN} and hands every stream a peer opens on them to
 * {@link #accept()} through an {@link AcceptQueue}. Connections whose handshake fails never show up here (the library
 * drops them).
 */
final class IrohListener implements Listener {

    private final Supplier<TransportAddress> address;
    private final long token;
    private final Set<IrohConnection> connections = ConcurrentHashMap.newKeySet();
    private final AcceptQueue queue = new AcceptQueue();
    private TransportAddress cachedAddress; // guarded by this

    IrohListener(long endpoint, Supplier<TransportAddress> address) {
        this.address = address;
        this.token = Native.register((kind, value, data) -> {
            if (kind == Native.EV_INCOMING && queue.isClosed()) {
                Native.connClose(value, 0, "not listening");
                Native.connFree(value);
            } else if (kind == Native.EV_INCOMING) {
                IrohConnection connection = new IrohConnection(value, queue::offer);
                connections.add(connection);
                connection.ended().whenComplete((reason, error) -> connections.remove(connection));
            } else if (kind == Native.EV_ENDED) {
                Native.unregister(token()); // the endpoint's accept loop ended: no more events
                close();
            }
        });
        try {
            Native.listen(endpoint, token);
        } catch (RuntimeException e) {
            Native.unregister(token);
            throw e;
        }
    }

    private long token() {
        return token;
    }

    @Override
    public synchronized TransportAddress address() {
        if (cachedAddress == null) {
            cachedAddress = address.get();
        }
        return cachedAddress;
    }

    @Override
    public CompletionStage<TransportStream> accept() {
        return queue.accept();
    }

    /** Open connections to this listener. */
    int connectionCount() {
        return connections.size();
    }

    @Override
    public void close() {
        queue.close();
    }
}
