package io.alknet.transport.iroh.internal;

import io.alknet.api.stream.TransportStream;
import io.alknet.api.transport.Listener;
import io.alknet.api.transport.TransportAddress;

import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Accepts iroh connections for ALPN {@value IrohTransport#ALPN} and hands every stream a peer opens on them to
 * {@link #accept()}. Connections whose handshake fails never show up here (the library drops them).
 */
final class IrohListener implements Listener {

    private final Supplier<TransportAddress> address;
    private final long token;
    private final Set<IrohConnection> connections = ConcurrentHashMap.newKeySet();
    // Guarded by this.
    private final ArrayDeque<TransportStream> ready = new ArrayDeque<>();
    private CompletableFuture<TransportStream> waiting;
    private boolean closed;
    private TransportAddress cachedAddress;

    IrohListener(long endpoint, Supplier<TransportAddress> address) {
        this.address = address;
        this.token = Native.register((kind, value, data) -> {
            if (kind == Native.EV_INCOMING && isClosed()) {
                Native.connClose(value, 0, "not listening");
                Native.connFree(value);
            } else if (kind == Native.EV_INCOMING) {
                IrohConnection connection = new IrohConnection(value, this::offer);
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

    private synchronized boolean isClosed() {
        return closed;
    }

    @Override
    public synchronized TransportAddress address() {
        if (cachedAddress == null) {
            cachedAddress = address.get();
        }
        return cachedAddress;
    }

    private void offer(IrohStream stream) {
        CompletableFuture<TransportStream> taker;
        synchronized (this) {
            if (closed) {
                taker = null;
            } else if (waiting != null) {
                taker = waiting;
                waiting = null;
            } else {
                ready.add(stream);
                return;
            }
        }
        if (taker == null || !taker.complete(stream)) {
            stream.abort();
        }
    }

    @Override
    public CompletionStage<TransportStream> accept() {
        synchronized (this) {
            if (closed) {
                return CompletableFuture.failedFuture(new ClosedChannelException());
            }
            TransportStream next = ready.poll();
            if (next != null) {
                return CompletableFuture.completedFuture(next);
            }
            if (waiting != null) {
                return CompletableFuture.failedFuture(new IllegalStateException("an accept is already pending"));
            }
            waiting = new CompletableFuture<>();
            return waiting;
        }
    }

    /** Open connections to this listener. */
    int connectionCount() {
        return connections.size();
    }

    @Override
    public void close() {
        CompletableFuture<TransportStream> taker;
        TransportStream[] dropped;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            taker = waiting;
            waiting = null;
            dropped = ready.toArray(TransportStream[]::new);
            ready.clear();
        }
        if (taker != null) {
            taker.completeExceptionally(new ClosedChannelException());
        }
        for (TransportStream stream : dropped) {
            stream.abort();
        }
    }
}
