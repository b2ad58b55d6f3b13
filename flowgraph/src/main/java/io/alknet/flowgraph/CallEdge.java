package io.alknet.flowgraph;

import java.util.Objects;

/** One edge of the call graph, from {@code from} to {@code to}. */
public record CallEdge(String from, String to, EdgeType type) {

    public CallEdge {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(type, "type");
    }
}
