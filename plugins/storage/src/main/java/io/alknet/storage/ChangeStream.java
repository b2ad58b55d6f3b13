package io.alknet.storage;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.storage.internal.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The storage's change stream: the outbox rows every write commits with, in position order. A consumer is a name
 * with a stored offset (the last position it finished); {@link #subscribe} replays from there, then follows live
 * changes, and stores the offset after each change its handler returned from. Delivery is at-least-once (a change
 * whose handler was cut off by a crash comes again) and in order, without gaps; for a handler that returns, each
 * change once.
 *
 * <p>These are domain events, internal to storage (spec §9): what leaves the node is a projection of them.
 *
 * <p>Threading: thread-safe; methods block on the database.
 */
public final class ChangeStream {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeStream.class);
    private static final int BATCH = 500;

    /**
     * One change.
     *
     * @param position its place in the stream; positions only grow
     * @param topic    {@code <table>:<created|updated|deleted|revoked>}
     * @param entityId the row's id
     */
    public record Change(long position, String topic, String entityId, Map<String, Object> payload, long createdAt) {
    }

    private final Storage storage;

    ChangeStream(Storage storage) {
        this.storage = Objects.requireNonNull(storage, "storage");
    }

    /** The changes after {@code position}, at most {@code limit}, oldest first. */
    public List<Change> after(long position, int limit) {
        return storage.read(tx -> tx.query("SELECT * FROM changes WHERE position > ? ORDER BY position LIMIT ?",
                row -> new Change(row.getLong("position"), row.getString("topic"), row.getString("entity_id"),
                        Json.object(row.getString("payload")), row.getLong("created_at")), position, limit));
    }

    /** The newest position, 0 when there is no change yet. */
    public long head() {
        return storage.read(tx -> tx.queryOne("SELECT MAX(position) FROM changes", row -> row.getLong(1)).orElse(0L));
    }

    /** The offset {@code consumer} has stored, 0 for a new one. */
    public long offset(String consumer) {
        return storage.read(tx -> tx.queryOne("SELECT position FROM consumer_offsets WHERE consumer = ?", row -> row.getLong(1), consumer))
                .orElse(0L);
    }

    /** Stores {@code position} as the last change {@code consumer} has finished. */
    public void commit(String consumer, long position) {
        storage.write(tx -> tx.update("INSERT INTO consumer_offsets (consumer, position, updated_at) VALUES (?, ?, ?) "
                + "ON CONFLICT (consumer) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at",
                consumer, position, tx.now()));
    }

    /** A running subscription; {@link #close()} stops it and waits for the handler to return. */
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Delivers every change after {@code consumer}'s offset to {@code handler}, one at a time on a virtual thread of its
     * own, storing the offset after each. Changes written in this process are seen at once; another process's within
     * {@code poll}. A handler that throws stops the subscription; that change comes again to the next one.
     */
    public Subscription subscribe(String consumer, Consumer<Change> handler, Duration poll) {
        Objects.requireNonNull(consumer, "consumer");
        Objects.requireNonNull(handler, "handler");
        if (consumer.isBlank()) {
            throw new AlknetException(ErrorCode.INVALID_ARGUMENT, "a consumer needs a name");
        }
        // stopped by a flag, not an interrupt: interrupting a virtual thread in socket I/O would close a pooled connection
        java.util.concurrent.atomic.AtomicBoolean stopped = new java.util.concurrent.atomic.AtomicBoolean();
        Thread thread = Thread.ofVirtual().name("alknet-storage-changes-" + consumer).unstarted(() -> follow(consumer, handler, poll, stopped));
        thread.start();
        return () -> {
            stopped.set(true);
            storage.wakeWaiters();
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    private void follow(String consumer, Consumer<Change> handler, Duration poll, java.util.concurrent.atomic.AtomicBoolean stopped) {
        try {
            long position = offset(consumer);
            while (!stopped.get()) {
                long seen = storage.localChanges();
                List<Change> batch = after(position, BATCH);
                for (Change change : batch) {
                    if (stopped.get()) {
                        return;
                    }
                    handler.accept(change);
                    commit(consumer, change.position());
                    position = change.position();
                }
                if (batch.size() < BATCH) {
                    storage.awaitLocalChange(seen, poll.toMillis());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (!stopped.get()) {
                LOG.warn("storage.changes.stopped consumer={} error={}", consumer, e.toString());
            }
        }
    }
}
