package io.alknet.flowgraph;

import io.alknet.api.call.OperationSpec;
import io.alknet.api.call.OperationType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class OperationGraphTest {

    private static final Map<String, Object> STRING = Map.of("type", "string");
    private static final Map<String, Object> NUMBER = Map.of("type", "number");

    private static Map<String, Object> object(Map<String, Object> properties) {
        return Map.of("type", "object", "properties", properties);
    }

    private static OperationSpec spec(String path, Map<String, Object> input, Map<String, Object> output) {
        return OperationSpec.builder(path, OperationType.QUERY).input(input).output(output).build();
    }

    /** read -> parse -> index; read -> count (a superset output still fits) */
    private final OperationSpec read = spec("/fs/read", object(Map.of("path", STRING)), object(Map.of("text", STRING, "size", NUMBER)));
    private final OperationSpec parse = spec("/doc/parse", object(Map.of("text", STRING)), object(Map.of("words", NUMBER)));
    private final OperationSpec index = spec("/doc/index", object(Map.of("words", NUMBER)), Map.of());
    private final OperationSpec count = spec("/doc/count", object(Map.of("text", STRING, "size", NUMBER)), Map.of());

    @Test
    void exactOrSupersetSchemasGiveCompatibleEdgesAMismatchAnIncompatibleOneAndUnknownNone() {
        OperationSpec wrongType = spec("/doc/strict", object(Map.of("text", NUMBER)), Map.of());
        OperationSpec anything = spec("/any/thing", Map.of(), Map.of("type", "object"));
        OperationGraph graph = OperationGraph.of(List.of(read, parse, index, count, wrongType, anything));

        assertThat(graph.edges()).contains(
                new TypedEdge("/fs/read", "/doc/parse", true, Optional.empty()),     // superset: size is extra
                new TypedEdge("/fs/read", "/doc/count", true, Optional.empty()),     // exact
                new TypedEdge("/doc/parse", "/doc/index", true, Optional.empty()));
        TypedEdge mismatch = graph.edges().stream().filter(edge -> edge.to().equals("/doc/strict")).findFirst().orElseThrow();
        assertThat(mismatch.compatible()).isFalse();
        assertThat(mismatch.detail()).get().asString().contains("'text'");
        assertThat(graph.edges()).noneMatch(edge -> edge.from().equals("/any/thing") || edge.to().equals("/any/thing"));
        // parse's output {words} shares nothing with count's input {text,size}: unrelated, no edge
        assertThat(graph.edges()).noneMatch(edge -> edge.from().equals("/doc/parse") && edge.to().equals("/doc/count"));
    }

    @Test
    void queriesFollowCompatibleEdges() {
        OperationGraph graph = OperationGraph.of(List.of(index, parse, read, count));
        assertThat(graph.successors("/fs/read")).containsExactlyInAnyOrder("/doc/parse", "/doc/count");
        assertThat(graph.predecessors("/doc/index")).containsExactly("/doc/parse");
        assertThat(graph.ancestors("/doc/index")).containsExactlyInAnyOrder("/doc/parse", "/fs/read");
        assertThat(graph.descendants("/fs/read")).containsExactlyInAnyOrder("/doc/parse", "/doc/index", "/doc/count");
        assertThat(graph.roots()).containsExactly("/fs/read");
        List<String> order = graph.topologicalOrder();
        assertThat(order).containsExactlyInAnyOrder("/fs/read", "/doc/parse", "/doc/index", "/doc/count");
        assertThat(order.indexOf("/fs/read")).isLessThan(order.indexOf("/doc/parse"));
        assertThat(order.indexOf("/doc/parse")).isLessThan(order.indexOf("/doc/index"));
        assertThat(graph.find("/doc/parse")).contains(parse);
        assertThatThrownBy(() -> graph.successors("/nope")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aCycleOfCompatibleEdgesIsRefusedAndNamed() {
        OperationSpec back = spec("/doc/back", object(Map.of("words", NUMBER)), object(Map.of("path", STRING)));
        CycleException cycle = catchThrowableOfType(CycleException.class, () -> OperationGraph.of(List.of(read, parse, back)));
        assertThat(cycle.cycle()).first().isEqualTo(cycle.cycle().getLast());
        assertThat(cycle.cycle()).contains("/fs/read", "/doc/parse", "/doc/back");
    }

    @Test
    void anOperationNeverFeedsItselfAndTwoSpecsMayNotShareAPath() {
        OperationSpec echo = spec("/echo/echo", object(Map.of("text", STRING)), object(Map.of("text", STRING)));
        assertThat(OperationGraph.of(List.of(echo)).edges()).isEmpty();
        assertThatThrownBy(() -> OperationGraph.of(List.of(echo, echo))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("/echo/echo");
    }
}
