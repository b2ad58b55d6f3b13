package io.alknet.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Eight writers, a thousand mutations each: every one commits with its change event, none is lost and no caller
 * sees an error (on SQLite no {@code SQLITE_BUSY}, even while another connection, as another process would, holds
 * the file's write lock for a while).
 */
@ParameterizedClass
@EnumSource(Backend.class)
class ConcurrentWritersTest extends StorageTestBase {

    private static final int WRITERS = 8;
    private static final int MUTATIONS = 1000;

    @Test
    void eightWritersTimesAThousandMutationsLoseNothing() throws Exception {
        Graphs graphs = storage.graphs();
        String type = graphs.createGraphType("load", Map.of("direction", "directed"), "tenant");
        String graph = graphs.createGraph(type, "load", "owner");
        long before = storage.changes().head();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> writers = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(WRITERS + 1)) {
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                writers.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < MUTATIONS; i++) {
                        graphs.addNode(graph, writer + "-" + i, Map.of("writer", writer, "i", i));
                    }
                    return null;
                }));
            }
            if (backend == Backend.SQLITE) {
                writers.add(pool.submit(() -> {
                    start.await();
                    holdTheWriteLockLikeAnotherProcess();
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> writer : writers) {
                writer.get(); // rethrows what any writer saw
            }
        }

        assertThat(graphs.nodes(graph)).hasSize(WRITERS * MUTATIONS);
        List<ChangeStream.Change> changes = new ArrayList<>();
        long position = before;
        List<ChangeStream.Change> batch;
        while (!(batch = storage.changes().after(position, 5000)).isEmpty()) {
            changes.addAll(batch);
            position = batch.getLast().position();
        }
        assertThat(changes).hasSize(WRITERS * MUTATIONS).allMatch(change -> change.topic().equals("nodes:created"));
        assertThat(changes.stream().map(change -> change.payload().get("key")).distinct().count()).isEqualTo(WRITERS * MUTATIONS);
    }

    /** A connection of its own, outside the storage's pool and lock, holds the write lock for half a second. */
    private void holdTheWriteLockLikeAnotherProcess() throws Exception {
        Thread.sleep(50);
        try (Connection other = DriverManager.getConnection(options.url().jdbcUrl()); Statement statement = other.createStatement()) {
            statement.execute("PRAGMA busy_timeout = 5000");
            statement.execute("BEGIN IMMEDIATE");
            statement.execute("INSERT INTO consumer_offsets (consumer, position, updated_at) VALUES ('other-process', 0, 0)");
            Thread.sleep(500);
            statement.execute("COMMIT");
        }
    }
}
