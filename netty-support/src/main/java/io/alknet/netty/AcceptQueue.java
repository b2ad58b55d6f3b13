package io.alknet.netty;

import io.alknet.api.stream.TransportStream;
import io.alknet.api.transport.Listener;
import io.alknet.api.transport.TransportAddress;
import io.netty.channel.Channel;

import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A bound server socket as a {@link Listener}: accepted connections (already wrapped as streams) wait in a
 * queue until {@link #accept()} takes them. Shared by the Netty transports (tcp, tls).
 */
public final class AcceptQueue implements Listener {

    private final Queue<TransportStream> ready = new ArrayDeque<>();
    private CompletableFuture<TransportStream> waiting;
    private Channel serverChannel;
    private TransportAddress address;
    private boolean closed;

    public synchronized void bound(Channel channel, TransportAddress boundAddress) {
        this.serverChannel = channel;
        this.address = boundAddress;
    }

    public void offer(TransportStream stream) {
        CompletableFuture<TransportStream> target;
        synchronized (this) {
            if (closed) {
                stream.abort();
                return;
            }
            if (waiting == null) {
                ready.add(stream);
                return;
            }
            target = waiting;
            waiting = null;
        }
        target.complete(stream);
    }

    @Override
    public synchronized TransportAddress address() {
        return address;
    }

    @Override
    public synchronized CompletionStage<TransportStream> accept() {
        if (closed) {
            return CompletableFuture.failedFuture(new ClosedChannelException());
        }
        if (waiting != null) {
            throw new IllegalStateException("accept() already pending");
        }
        TransportStream next = ready.poll();
        if (next != null) {
            return CompletableFuture.completedFuture(next);
        }
        waiting = new CompletableFuture<>();
        return waiting;
    }

    @Override
    public void close() {
        CompletableFuture<TransportStream> pending;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            pending = waiting;
            waiting = null;
            ready.forEach(TransportStream::abort);
            ready.clear();
        }
        if (serverChannel != null) {
            var closing = serverChannel.close();
            if (!serverChannel.eventLoop().inEventLoop()) {
                closing.syncUninterruptibly(); // the port is free when close() returns
            }
        }
        if (pending != null) {
            pending.completeExceptionally(new ClosedChannelException());
        }
    }
}
