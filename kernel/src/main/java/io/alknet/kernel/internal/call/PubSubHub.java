package io.alknet.kernel.internal.call;

import io.alknet.api.call.EventEnvelope;
import io.alknet.api.call.PubSub;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * The server's event bus (spec: pubsub over the control channel): connections subscribe to topics with
 * {@code __subscribe}/{@code __unsubscribe}, any event a connection or local code publishes goes to every
 * subscriber of its topic and of "" (all topics). Each subscriber has its own bounded {@link Outbox}, so
 * delivery is in publish order per publisher, at most once, and a slow subscriber loses events (and learns
 * how many) instead of holding anyone up. Thread-safe; nothing blocks.
 */
public final class PubSubHub implements PubSub, CallEngine.EventBus {

    private static final Logger LOG = LoggerFactory.getLogger("alknet.pubsub");

    /** Topics one connection may be subscribed to at a time; a peer cannot grow the hub without bound. */
    public static final int MAX_TOPICS_PER_CONNECTION = 1024;

    private final int buffer;
    private final Map<String, Set<Target>> byTopic = new ConcurrentHashMap<>();
    private final Map<CallEngine, Connection> connections = new ConcurrentHashMap<>();

    private final io.alknet.api.metrics.Metrics.Counter droppedEvents;

    /** @param buffer events held per subscriber before it starts losing them */
    public PubSubHub(int buffer) {
        this(buffer, io.alknet.api.metrics.Metrics.NONE.counter("none", "none"));
    }

    /** @param droppedEvents counts the events subscribers in this process lose */
    public PubSubHub(int buffer, io.alknet.api.metrics.Metrics.Counter droppedEvents) {
        this.buffer = buffer;
        this.droppedEvents = java.util.Objects.requireNonNull(droppedEvents, "droppedEvents");
    }

    private interface Target {
        void deliver(EventEnvelope event);
    }

    @Override
    public void publish(String topic, String type, Object payload) {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(type, "type");
        if (type.startsWith("call.") || type.startsWith("__") || type.isEmpty()) {
            throw new IllegalArgumentException("event type '" + type + "' is reserved by the call protocol");
        }
        fanout(new EventEnvelope(type, topic, payload));
    }

    void fanout(EventEnvelope event) {
        Set<Target> targets = new LinkedHashSet<>();
        Set<Target> exact = byTopic.get(event.id());
        if (exact != null) {
            targets.addAll(exact);
        }
        if (!event.id().isEmpty()) {
            Set<Target> all = byTopic.get("");
            if (all != null) {
                targets.addAll(all);
            }
        }
        for (Target target : targets) {
            target.deliver(event);
        }
    }

    /** Subscribers of {@code topic} right now (local and connections). */
    public int subscribers(String topic) {
        Set<Target> targets = byTopic.get(topic);
        return targets == null ? 0 : targets.size();
    }

    @Override
    public Subscription subscribe(String topic, Consumer<EventEnvelope> listener) {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(listener, "listener");
        LocalTarget target = new LocalTarget(listener, buffer, droppedEvents);
        add(topic, target);
        return () -> {
            remove(topic, target);
            target.close();
        };
    }

    /** Inside {@code compute}: a concurrent {@link #remove} of the topic's last target cannot orphan the set. */
    private void add(String topic, Target target) {
        byTopic.compute(topic, (key, targets) -> {
            Set<Target> present = targets != null ? targets : new CopyOnWriteArraySet<>();
            present.add(target);
            return present;
        });
    }

    private void remove(String topic, Target target) {
        byTopic.computeIfPresent(topic, (key, targets) -> {
            targets.remove(target);
            return targets.isEmpty() ? null : targets;
        });
    }

    // ---- connections ----

    @Override
    public void published(CallEngine from, EventEnvelope event) {
        fanout(event);
    }

    @Override
    public boolean subscribe(CallEngine who, String topic) {
        Connection connection = connections.computeIfAbsent(who, Connection::new);
        synchronized (connection) {
            if (connection.topics.contains(topic)) {
                return true;
            }
            if (connection.topics.size() >= MAX_TOPICS_PER_CONNECTION) {
                return false;
            }
            connection.topics.add(topic);
            add(topic, connection);
        }
        if (!who.isOpen()) {
            closed(who); // the connection closed while this subscription was on its way: release it again
        }
        return true;
    }

    @Override
    public void unsubscribe(CallEngine who, String topic) {
        Connection connection = connections.get(who);
        if (connection != null) {
            synchronized (connection) {
                if (connection.topics.remove(topic)) {
                    remove(topic, connection);
                }
            }
        }
    }

    @Override
    public void closed(CallEngine who) {
        Connection connection = connections.remove(who);
        if (connection != null) {
            synchronized (connection) {
                for (String topic : connection.topics) {
                    remove(topic, connection);
                }
                connection.topics.clear();
            }
        }
    }

    /** A connection's subscriptions: the topics it holds, so closing it touches only those. */
    private static final class Connection implements Target {
        private final CallEngine engine;
        // guarded by this
        private final Set<String> topics = new java.util.HashSet<>();

        Connection(CallEngine engine) {
            this.engine = engine;
        }

        @Override
        public void deliver(EventEnvelope event) {
            engine.deliver(event);
        }
    }

    /** A subscriber in this process: its listener runs on a virtual thread of its own, one event at a time. */
    private static final class LocalTarget implements Target {
        private final ExecutorService serial = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("alknet-pubsub-", 0).factory());
        private final Outbox outbox;

        LocalTarget(Consumer<EventEnvelope> listener, int buffer, io.alknet.api.metrics.Metrics.Counter droppedEvents) {
            this.outbox = new Outbox(buffer, event -> CompletableFuture.runAsync(() -> {
                try {
                    listener.accept(event);
                } catch (RuntimeException e) {
                    LOG.warn("pubsub.listener.failed error={}", e.getClass().getName());
                }
            }, serial), droppedEvents);
        }

        @Override
        public void deliver(EventEnvelope event) {
            outbox.offer(event);
        }

        void close() {
            outbox.close();
            serial.shutdown();
        }
    }
}
