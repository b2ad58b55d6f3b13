package io.alknet.kernel.internal;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.api.interfaces.RemoteListener;
import io.alknet.api.stream.TransportStream;
import io.alknet.api.transport.Listener;
import io.alknet.api.transport.Transport;
import io.alknet.api.transport.TransportAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * Listeners for clients' remote forwards, bound through the server's forward transport (so the connections
 * they accept are ordinary transport streams, with half-close and back-pressure); none without one.
 */
final class RemoteListeners {

    private static final Logger LOG = LoggerFactory.getLogger("alknet.server");

    /** Both loopback addresses on one port: 127.0.0.1, then ::1 where the host has IPv6. */
    static final String LOOPBACK = "localhost";

    private final Optional<Transport> forwards;

    RemoteListeners(Optional<Transport> forwards) {
        this.forwards = Objects.requireNonNull(forwards, "forwards");
    }

    CompletionStage<RemoteListener> listen(String host, int port, Consumer<TransportStream> accepted) {
        if (forwards.isEmpty()) {
            return CompletableFuture.failedFuture(Outbound.forwardingOff());
        }
        if (LOOPBACK.equals(host)) {
            return listen("127.0.0.1", port, accepted).thenCompose(v4 -> listen("::1", v4.port(), accepted).handle((v6, error) -> {
                if (error != null) {
                    LOG.debug("remote.forward.ipv6.skipped reason=\"{}\"", rootMessage(error)); // no IPv6 here, or its port is taken
                    return v4;
                }
                return new Both(v4, v6);
            }));
        }
        Transport transport = forwards.get();
        TransportAddress address;
        try {
            address = TransportAddress.of(transport.scheme(), host, port);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new AlknetException(ErrorCode.INVALID_ARGUMENT, "cannot listen: " + e.getMessage()));
        }
        return transport.listen(address).handle((listener, error) -> {
            if (error != null) {
                throw new CompletionException(new AlknetException(ErrorCode.INVALID_ARGUMENT,
                        "cannot listen: " + rootMessage(error)));
            }
            return (RemoteListener) new Active(listener, accepted);
        });
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return String.valueOf(root.getMessage());
    }

    /** The same port on both loopback addresses. */
    private record Both(RemoteListener v4, RemoteListener v6) implements RemoteListener {
        @Override
        public int port() {
            return v4.port();
        }

        @Override
        public void close() {
            try (v6) {
                v4.close();
            }
        }
    }

    /** A bound listener and the virtual thread accepting on it. */
    private static final class Active implements RemoteListener {
        private final Listener listener;
        private final Thread acceptor;
        private volatile boolean closed;

        Active(Listener listener, Consumer<TransportStream> accepted) {
            this.listener = listener;
            this.acceptor = Thread.ofVirtual().name("alknet-remote-forward-" + listener.address().port()).start(() -> {
                while (!closed) {
                    TransportStream stream;
                    try {
                        stream = listener.accept().toCompletableFuture().join();
                    } catch (CompletionException | java.util.concurrent.CancellationException e) {
                        if (!closed) {
                            LOG.debug("remote.forward.accept.failed error={}", String.valueOf(e.getCause()));
                        }
                        return;
                    }
                    try {
                        accepted.accept(stream);
                    } catch (RuntimeException e) {
                        stream.abort();
                    }
                }
            });
        }

        @Override
        public int port() {
            return listener.address().port();
        }

        @Override
        public void close() {
            closed = true;
            listener.close();
            acceptor.interrupt();
        }
    }
}
