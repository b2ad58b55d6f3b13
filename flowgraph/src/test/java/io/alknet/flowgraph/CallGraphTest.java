package io.alknet.flowgraph;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CallGraphTest {

    /** A clock the test moves by hand: durations are computed, never measured. */
    private static final class ManualClock extends Clock {
        private Instant now = Instant.parse("2026-12-03T12:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final ManualClock clock = new ManualClock();
    private final CallGraph graph = new CallGraph(1000, clock);

    /** root -> a -> a1, root -> b */
    private void tree() {
        graph.requested("root", "/w1/chain", Optional.empty(), "alice");
        graph.requested("a", "/w2/sum", Optional.of("root"), "alice");
        graph.requested("a1", "/w2/add", Optional.of("a"), "alice");
        graph.requested("b", "/w1/echo", Optional.of("root"), "alice");
    }

    @Test
    void aCallGoesFromPendingThroughRunningToEachTerminalState() {
        tree();
        assertThat(graph.find("root")).get().extracting(CallNode::status).isEqualTo(CallStatus.PENDING);
        assertThat(graph.running("root").status()).isEqualTo(CallStatus.RUNNING);
        graph.running("a");
        assertThat(graph.completed("a").status()).isEqualTo(CallStatus.COMPLETED);
        graph.running("b");
        CallNode failed = graph.failed("b", "TIMEOUT: too slow");
        assertThat(failed.status()).isEqualTo(CallStatus.FAILED);
        assertThat(failed.error()).contains("TIMEOUT: too slow");
        assertThat(graph.aborted("root", "ABORTED: the caller cancelled")).containsExactly("a1");
        assertThat(graph.find("root")).get().extracting(CallNode::status).isEqualTo(CallStatus.ABORTED);
    }

    @Test
    void aPendingCallMayEndWithoutRunning() {
        graph.requested("x", "/fs/read", Optional.empty(), "alice");
        assertThat(graph.failed("x", "ACCESS_DENIED: no scope").status()).isEqualTo(CallStatus.FAILED);
        graph.requested("y", "/fs/read", Optional.empty(), "alice");
        assertThat(graph.completed("y").status()).isEqualTo(CallStatus.COMPLETED);
        graph.requested("z", "/fs/read", Optional.empty(), "alice");
        assertThat(graph.aborted("z", "gone")).isEmpty();
        assertThat(graph.find("z")).get().extracting(CallNode::status).isEqualTo(CallStatus.ABORTED);
    }

    @Test
    void invalidTransitionsAreRefusedAndLeaveTheCallAsItWas() {
        graph.requested("x", "/fs/read", Optional.empty(), "alice");
        graph.running("x");
        assertThatThrownBy(() -> graph.running("x")).isInstanceOf(InvalidTransitionException.class)
                .hasMessageContaining("cannot go from RUNNING to RUNNING");
        graph.completed("x");
        for (Runnable move : new Runnable[] {() -> graph.running("x"), () -> graph.completed("x"),
                () -> graph.failed("x", "E"), () -> graph.aborted("x", "A")}) {
            assertThatThrownBy(move::run).isInstanceOf(InvalidTransitionException.class).hasMessageContaining("from COMPLETED");
        }
        assertThat(graph.find("x")).get().extracting(CallNode::status).isEqualTo(CallStatus.COMPLETED);
        assertThatThrownBy(() -> graph.completed("nobody")).isInstanceOf(InvalidTransitionException.class)
                .hasMessageContaining("no call nobody");
        assertThatThrownBy(() -> graph.requested("x", "/fs/read", Optional.empty(), "alice"))
                .isInstanceOf(InvalidTransitionException.class).hasMessageContaining("already in the graph");
    }

    @Test
    void everyStatusMoveIsDefined() {
        for (CallStatus from : CallStatus.values()) {
            for (CallStatus to : CallStatus.values()) {
                boolean expected = switch (from) {
                    case PENDING -> to != CallStatus.PENDING;
                    case RUNNING -> to == CallStatus.COMPLETED || to == CallStatus.FAILED || to == CallStatus.ABORTED;
                    case COMPLETED, FAILED, ABORTED -> false;
                };
                assertThat(from.canMoveTo(to)).as(from + " -> " + to).isEqualTo(expected);
            }
        }
    }

    @Test
    void theAbortCascadeReachesEveryLiveDescendantAndSparesFinishedOnes() {
        tree();
        graph.running("root");
        graph.running("a");
        graph.running("a1");
        graph.running("b");
        graph.completed("b");
        assertThat(graph.aborted("root", "cancelled")).containsExactly("a", "a1");
        assertThat(graph.withStatus(CallStatus.ABORTED)).extracting(CallNode::requestId).containsExactly("root", "a", "a1");
        assertThat(graph.find("a1").orElseThrow().error()).contains("its caller root was aborted");
        assertThat(graph.find("b")).get().extracting(CallNode::status).isEqualTo(CallStatus.COMPLETED);
    }

    @Test
    void queriesAnswerOverTheTriggeredTree() {
        tree();
        assertThat(graph.roots()).extracting(CallNode::requestId).containsExactly("root");
        assertThat(graph.children("root")).extracting(CallNode::requestId).containsExactly("a", "b");
        assertThat(graph.children("a1")).isEmpty();
        assertThat(graph.successorsOf("a")).containsExactly("a1");
        assertThat(graph.predecessorsOf("a1")).containsExactly("a");
        assertThat(graph.ancestors("a1")).containsExactlyInAnyOrder("a", "root");
        assertThat(graph.ancestors("root")).isEmpty();
        assertThat(graph.descendants("root")).containsExactlyInAnyOrder("a", "a1", "b");
        assertThat(graph.lineage("a1")).extracting(CallNode::requestId).containsExactly("root", "a", "a1");
        assertThat(graph.tree("a")).extracting(CallNode::requestId).containsExactly("a", "a1");
        assertThat(graph.edges()).containsExactly(new CallEdge("root", "a", EdgeType.TRIGGERED),
                new CallEdge("root", "b", EdgeType.TRIGGERED), new CallEdge("a", "a1", EdgeType.TRIGGERED));
        assertThat(graph.findCycle()).isEmpty();
        assertThat(graph.size()).isEqualTo(4);
        assertThatThrownBy(() -> graph.descendants("nobody")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void topologicalOrderPutsEveryCallAfterItsPredecessors() {
        tree();
        graph.requested("other", "/x/y", Optional.empty(), "bob");
        graph.dependsOn("other", "a");
        var order = graph.topologicalOrder().stream().map(CallNode::requestId).toList();
        assertThat(order).containsExactlyInAnyOrder("root", "a", "a1", "b", "other");
        for (CallEdge edge : graph.edges()) {
            assertThat(order.indexOf(edge.from())).as(edge.toString()).isLessThan(order.indexOf(edge.to()));
        }
        assertThat(graph.successorsOf("other")).containsExactly("a");
        assertThat(graph.ancestors("a1")).containsExactlyInAnyOrder("a", "root", "other");
    }

    @Test
    void aParentOnAnotherNodeLeavesTheCallARootWithItsParentIdKept() {
        graph.requested("here", "/chain", Optional.of("on-the-head"), "head");
        assertThat(graph.roots()).extracting(CallNode::requestId).containsExactly("here");
        assertThat(graph.find("here").orElseThrow().parentRequestId()).contains("on-the-head");
        assertThat(graph.lineage("here")).extracting(CallNode::requestId).containsExactly("here");
    }

    @Test
    void cyclesAreRefused() {
        assertThatThrownBy(() -> graph.requested("self", "/x", Optional.of("self"), "alice"))
                .isInstanceOf(CycleException.class).hasMessageContaining("self -> self");
        assertThat(graph.size()).isZero();
        tree();
        CycleException cycle = org.assertj.core.api.Assertions.catchThrowableOfType(CycleException.class,
                () -> graph.dependsOn("a1", "root"));
        assertThat(cycle.cycle()).containsExactly("root", "a", "a1", "root");
        assertThatThrownBy(() -> graph.dependsOn("b", "b")).isInstanceOf(CycleException.class);
        assertThatThrownBy(() -> graph.dependsOn("root", "a")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no parallel edges");
        assertThat(graph.edges()).hasSize(3);
        assertThat(graph.findCycle()).isEmpty();
    }

    @Test
    void durationsRunFromStartToEndAndFromRequestWhenTheCallNeverRan() {
        graph.requested("x", "/fs/read", Optional.empty(), "alice");
        clock.advance(Duration.ofMillis(5));
        graph.running("x");
        assertThat(graph.duration("x")).isEmpty();
        clock.advance(Duration.ofMillis(40));
        graph.completed("x");
        assertThat(graph.duration("x")).contains(Duration.ofMillis(40));

        graph.requested("y", "/fs/read", Optional.empty(), "alice");
        clock.advance(Duration.ofMillis(7));
        graph.failed("y", "ACCESS_DENIED");
        assertThat(graph.duration("y")).contains(Duration.ofMillis(7));
    }

    @Test
    void pastItsCapacityTheGraphDropsTheOldestFinishedTreesWholeAndKeepsRunningOnes() {
        CallGraph small = new CallGraph(3, clock);
        small.requested("running", "/x", Optional.empty(), "a");
        small.requested("done", "/x", Optional.empty(), "a");
        small.requested("done-child", "/x", Optional.of("done"), "a");
        small.completed("done-child");
        small.completed("done");
        small.requested("new", "/x", Optional.empty(), "a");
        assertThat(small.roots()).extracting(CallNode::requestId).containsExactly("running", "new");
        assertThat(small.find("done-child")).isEmpty();
        assertThat(small.size()).isEqualTo(2);
        // nothing finished to drop: the graph grows past its capacity rather than lose live calls
        small.requested("more", "/x", Optional.empty(), "a");
        small.requested("even-more", "/x", Optional.empty(), "a");
        assertThat(small.size()).isEqualTo(4);
    }

    @Test
    void callEventsFromManyThreadsAtOnceAllLand() throws Exception {
        int threads = 8;
        int calls = 500;
        graph.requested("root", "/top", Optional.empty(), "alice");
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(threads)) {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                pool.submit(() -> {
                    for (int i = 0; i < calls / threads; i++) {
                        String id = thread + "-" + i;
                        graph.requested(id, "/x", Optional.of("root"), "alice");
                        graph.running(id);
                        graph.completed(id);
                    }
                });
            }
        }
        assertThat(graph.children("root")).hasSize(calls / threads * threads);
        assertThat(graph.withStatus(CallStatus.COMPLETED)).hasSize(calls / threads * threads);
    }
}
