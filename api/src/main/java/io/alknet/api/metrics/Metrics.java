package io.alknet.api.metrics;

/**
 * Where the kernel and plugins record counts, durations and levels. A backend ({@link MetricsBackend}) exports them;
 * without one, {@link #NONE} drops everything at no cost.
 *
 * <p><b>Names</b> are lower-case words joined by dots, starting with {@code alknet.} for the kernel's and with the
 * plugin's name for a plugin's ({@code alknet.sessions}, {@code uds.accepted}); the backend renders them in its own
 * style (Prometheus: {@code alknet_sessions_total}). One name is one kind of meter with one set of tag keys.
 *
 * <p><b>Tags</b> are key/value pairs ({@code "transport", "tcp", "direction", "in"}). A value must come from a closed
 * set: an enum constant, a registered name (a transport's scheme, an operation's path from its spec, a policy rule's
 * name), a stable reason code. Never a destination, a host, an address, a port, a user name, a key or anything else a
 * peer sent: every distinct value is a time series kept for the life of the process, and whoever reads the metrics
 * must not learn where tunnels go. Backends replace a value that looks like an address, or one past a few hundred
 * distinct values of a tag, with {@code other}, but that is a safety net, not a licence.
 *
 * <p>Threading: every method may be called from any thread, including I/O threads, and never blocks. Ask for a meter
 * once and keep it where it is used often (per connection, per stream); asking again with the same name and tags
 * gives one that records into the same series.
 */
public interface Metrics {

    /** Records nothing: what components get when metrics are off, and on clients. */
    Metrics NONE = new Metrics() {
        @Override
        public Counter counter(String name, String description, String... tags) {
            return amount -> {
            };
        }

        @Override
        public Timer timer(String name, String description, String... tags) {
            return nanos -> {
            };
        }

        @Override
        public Gauge gauge(String name, String description, String... tags) {
            return delta -> {
            };
        }

        @Override
        public boolean enabled() {
            return false;
        }
    };

    /**
     * A count that only grows: events, bytes.
     *
     * @param tags key/value pairs, an even number of strings
     * @throws IllegalArgumentException for an odd number of tag strings or a malformed name
     */
    Counter counter(String name, String description, String... tags);

    /** Durations, exported as a count, a sum and a histogram. Arguments as for {@link #counter}. */
    Timer timer(String name, String description, String... tags);

    /** A level that goes up and down: open sessions, open channels. Starts at zero. Arguments as for {@link #counter}. */
    Gauge gauge(String name, String description, String... tags);

    /**
     * Whether anything is recorded: false for {@link #NONE}. Lets a hot path skip work whose only purpose is a metric
     * (wrapping a stream to count its bytes).
     */
    default boolean enabled() {
        return true;
    }

    /** A counter; see {@link Metrics#counter}. */
    @FunctionalInterface
    interface Counter {
        /** Adds {@code amount} (not negative). */
        void increment(long amount);

        default void increment() {
            increment(1);
        }
    }

    /** A timer; see {@link Metrics#timer}. */
    @FunctionalInterface
    interface Timer {
        /** Records one duration of {@code nanos} nanoseconds. */
        void record(long nanos);
    }

    /** An up-and-down level; see {@link Metrics#gauge}. */
    @FunctionalInterface
    interface Gauge {
        /** Adds {@code delta}, which may be negative. */
        void add(long delta);
    }
}
