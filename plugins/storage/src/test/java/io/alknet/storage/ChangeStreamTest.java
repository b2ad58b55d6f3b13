package io.alknet.storage;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** The change stream: every mutation once, in order, per consumer, across a restart, on SQLite and on PostgreSQL. */
@ParameterizedClass
@EnumSource(Backend.class)
class ChangeStreamTest extends StorageTestBase {

    private static final Duration POLL = Duration.ofMillis(50);
    private String graph;

    @BeforeEach
    void graph() {
        String type = storage.graphs().createGraphType("stream", Map.of("direction", "directed"), "tenant");
        graph = storage.graphs().createGraph(type, "stream", "owner");
    }

    private void addNodes(Storage on, int from, int count) {
        for (int i = from; i < from + count; i++) {
            on.graphs().addNode(graph, "n" + i, Map.of());
        }
    }

    private List<Long> allPositions(Storage on) {
        return on.changes().after(0, 100_000).stream().map(ChangeStream.Change::position).toList();
    }

    @Test
    void replaysThenFollowsLiveAndResumesAfterARestartWithoutGapOrRepeat() throws Exception {
        List<ChangeStream.Change> received = Collections.synchronizedList(new ArrayList<>());
        addNodes(storage, 0, 30);
        try (ChangeStream.Subscription ignored = storage.changes().subscribe("projector", received::add, POLL)) {
            Eventually.holds(Duration.ofSeconds(20), () -> assertThat(received).hasSize(32)); // graph type, graph, 30 nodes: replay
            addNodes(storage, 30, 20);
            Eventually.holds(Duration.ofSeconds(20), () -> assertThat(received).hasSize(52)); // live
        }
        addNodes(storage, 50, 25); // while no one listens
        storage.close();

        storage = Storage.open(options); // the restart
        addNodes(storage, 75, 5);
        try (ChangeStream.Subscription ignored = storage.changes().subscribe("projector", received::add, POLL)) {
            Eventually.holds(Duration.ofSeconds(20), () -> assertThat(received).hasSize(82));
            addNodes(storage, 80, 10);
            Eventually.holds(Duration.ofSeconds(20), () -> assertThat(received).hasSize(92));
        }

        assertThat(received).extracting(ChangeStream.Change::position).containsExactlyElementsOf(allPositions(storage));
        assertThat(received.subList(2, 92)).extracting(change -> change.payload().get("key"))
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 90).mapToObj(i -> "n" + i).toList());
        assertThat(storage.changes().offset("projector")).isEqualTo(received.getLast().position());
    }

    @Test
    void aChangeWhoseHandlerFailedComesAgainAndConsumersKeepTheirOwnOffsets() throws Exception {
        addNodes(storage, 0, 10);
        AtomicBoolean failOnce = new AtomicBoolean(true);
        List<Long> first = Collections.synchronizedList(new ArrayList<>());
        try (ChangeStream.Subscription ignored = storage.changes().subscribe("flaky", change -> {
            if (change.payload().get("key") != null && change.payload().get("key").equals("n5") && failOnce.getAndSet(false)) {
                throw new IllegalStateException("handler failed");
            }
            first.add(change.position());
        }, POLL)) {
            Eventually.holds(Duration.ofSeconds(20), () -> assertThat(first).hasSize(7)); // up to n4, then it stopped
            Thread.sleep(200);
            assertThat(first).hasSize(7);
        }
        List<Long> other = Collections.synchronizedList(new ArrayList<>());
        try (ChangeStream.Subscription a = storage.changes().subscribe("flaky", change -> first.add(change.position()), POLL);
             ChangeStream.Subscription b = storage.changes().subscribe("auditor", change -> other.add(change.position()), POLL)) {
            Eventually.holds(Duration.ofSeconds(20), () -> assertThat(first).hasSize(12));
            Eventually.holds(Duration.ofSeconds(20), () -> assertThat(other).hasSize(12));
        }
        assertThat(first).containsExactlyElementsOf(allPositions(storage));
        assertThat(other).containsExactlyElementsOf(allPositions(storage));
    }

    @Test
    void aLiveConsumerSeesConcurrentWritersChangesInOrderWithoutGaps() throws Exception {
        List<Long> received = Collections.synchronizedList(new ArrayList<>());
        try (ChangeStream.Subscription ignored = storage.changes().subscribe("live", change -> received.add(change.position()), POLL)) {
            List<Future<?>> writers = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
                for (int w = 0; w < 4; w++) {
                    int writer = w;
                    writers.add(pool.submit(() -> addNodes(storage, writer * 100, 100)));
                }
                for (Future<?> writer : writers) {
                    writer.get();
                }
            }
            Eventually.holds(Duration.ofSeconds(30), () -> assertThat(received).hasSize(402));
        }
        assertThat(received).containsExactlyElementsOf(allPositions(storage)).isSorted();
    }
}
