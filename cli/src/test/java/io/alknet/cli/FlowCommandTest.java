package io.alknet.cli;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code alknet flow show} renders /flow/calls' answer as a tree and as Graphviz. */
class FlowCommandTest {

    private static final Map<String, Object> TREE = Map.of("root", "r1", "calls", List.of(
            Map.of("requestId", "r1", "operation", "/w1/chain", "caller", "alice", "status", "aborted", "durationMillis", 12,
                    "error", "ABORTED: the caller cancelled"),
            Map.of("requestId", "r2", "parentRequestId", "r1", "operation", "w1:/chain", "caller", "alice", "status", "aborted",
                    "durationMillis", 11),
            Map.of("requestId", "r3", "parentRequestId", "r2", "operation", "/w2/block", "caller", "alice", "status", "aborted"),
            Map.of("requestId", "r5", "parentRequestId", "r1", "operation", "/log/write", "caller", "alice", "status", "completed",
                    "durationMillis", 1)));

    @Test
    void textIsAnIndentedTreeWithStatusTimingsAndIds() {
        assertThat(FlowCommand.text(TREE)).isEqualTo("""
                /w1/chain  aborted  12 ms  alice  r1  (ABORTED: the caller cancelled)
                ├─ w1:/chain  aborted  11 ms  alice  r2
                │  └─ /w2/block  aborted  alice  r3
                └─ /log/write  completed  1 ms  alice  r5
                """);
    }

    @Test
    void dotHasANodePerCallAndAnEdgePerParentLink() {
        String dot = FlowCommand.dot(TREE);
        assertThat(dot).startsWith("digraph flow {").endsWith("}\n")
                .contains("\"r1\" [label=\"/w1/chain\\naborted 12 ms\"];")
                .contains("\"r1\" -> \"r2\";", "\"r2\" -> \"r3\";", "\"r1\" -> \"r5\";");
        assertThat(dot.lines().filter(line -> line.contains("->"))).hasSize(3);
    }

    @Test
    void withoutAnIdTheLatestCallsAreRootsSideBySide() {
        Map<String, Object> latest = Map.of("calls", List.of(
                Map.of("requestId", "a", "operation", "/w2/sum", "caller", "ci", "status", "completed", "durationMillis", 3),
                Map.of("requestId", "b", "parentRequestId", "elsewhere", "operation", "/echo", "caller", "head", "status", "running")));
        assertThat(FlowCommand.text(latest)).isEqualTo("""
                /w2/sum  completed  3 ms  ci  a
                /echo  running  head  b
                """);
    }
}
