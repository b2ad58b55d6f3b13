package io.alknet.api.metrics;

import java.util.Map;

/**
 * A running metrics backend: the {@link Metrics} the server's components record into, and the way they leave the
 * process (an HTTP endpoint Prometheus scrapes, a push to a collector).
 *
 * <p>Owner: the kernel creates at most one per server, calls {@link #start()} before any listener is bound (so every
 * component records into it from its first connection), and {@link #close()} after every other component closed.
 * The recording methods follow {@link Metrics}' threading contract.
 */
public interface MetricsBackend extends Metrics, AutoCloseable {

    /**
     * Binds what the backend needs (its own socket: never a transport's port) and starts exporting. Called once, from
     * one thread; may block briefly.
     *
     * @throws io.alknet.api.AlknetException {@code INVALID_CONFIG} when it cannot start, naming the address and why
     */
    void start();

    /** Facts operators need once started, such as {@code address} (where to scrape); printed in the server's log. */
    default Map<String, String> info() {
        return Map.of();
    }

    /** Stops exporting and releases the socket. Idempotent. */
    @Override
    void close();
}
