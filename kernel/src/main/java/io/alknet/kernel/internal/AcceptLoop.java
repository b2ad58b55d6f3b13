package io.alknet.kernel.internal;

import io.alknet.api.interfaces.ServerConnection;
import io.alknet.api.interfaces.StreamInterface;
import io.alknet.api.stream.PeerInfo;
import io.alknet.api.stream.TransportStream;
import io.alknet.api.transport.Listener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * Serves one listener: takes each accepted stream, lets the {@link SourceGuard} admit or refuse it, and
 * hands it to the stream interface with a fresh {@link ConnectionContext}. A failure on one connection
 * is logged and never stops the loop. Runs on a virtual thread of its own.
 */
final class AcceptLoop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("alknet.server");

    private final Listener listener;
    private final StreamInterface streamInterface;
    private final SourceGuard guard;
    private final AuditLog audit;
    private final Function<TransportStream, ConnectionContext> contexts;
    private final Map<ServerConnection, ConnectionContext> sessions;
    private final KernelMetrics metrics;
    private final Thread thread;
    private volatile boolean closed;

    AcceptLoop(Listener listener, StreamInterface streamInterface, SourceGuard guard, AuditLog audit,
               Function<TransportStream, ConnectionContext> contexts, Map<ServerConnection, ConnectionContext> sessions,
               KernelMetrics metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.streamInterface = Objects.requireNonNull(streamInterface, "streamInterface");
        this.guard = Objects.requireNonNull(guard, "guard");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.contexts = Objects.requireNonNull(contexts, "contexts");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.thread = Thread.ofVirtual().name("alknet-accept-" + listener.address()).unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    private void run() {
        while (!closed) {
            TransportStream stream;
            try {
                stream = listener.accept().toCompletableFuture().join();
            } catch (CompletionException | java.util.concurrent.CancellationException e) {
                if (!closed) {
                    LOG.warn("listener.accept.failed listener={} error={}", listener.address(), String.valueOf(e.getCause()));
                    sleepQuietly(Duration.ofMillis(100));
                }
                continue;
            }
            try {
                serve(stream);
            } catch (RuntimeException e) {
                LOG.warn("connection.failed remote_addr={} error={}", stream.peer().remoteHost(), e.toString());
                stream.abort();
            }
        }
    }

    private void serve(TransportStream stream) {
        PeerInfo peer = stream.peer();
        if (guard.admit(peer) != null) {
            stream.close(); // refused before any protocol bytes (the guard logged why): closed, as sshd closes a penalized source
            return;
        }
        long started = System.nanoTime();
        audit.connectionOpened(peer);
        // the context keeps the transport's own stream (a transport may dial targets from its I/O thread)
        ConnectionContext context = contexts.apply(stream);
        ServerConnection connection;
        try {
            connection = streamInterface.serve(metrics.countBytes(stream), context);
        } catch (RuntimeException e) {
            context.ended();
            guard.closed(peer, context.outcome());
            audit.connectionClosed(peer, Duration.ofNanos(System.nanoTime() - started));
            throw e;
        }
        context.attach(connection);
        sessions.put(connection, context);
        Runnable sessionEnded = metrics.sessionOpened(peer.transport());
        connection.closeFuture().whenComplete((ignored, error) -> {
            sessionEnded.run();
            sessions.remove(connection);
            context.ended();
            guard.closed(peer, context.outcome());
            audit.connectionClosed(peer, Duration.ofNanos(System.nanoTime() - started));
        });
    }

    private static void sleepQuietly(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        listener.close();
        thread.interrupt();
    }
}
