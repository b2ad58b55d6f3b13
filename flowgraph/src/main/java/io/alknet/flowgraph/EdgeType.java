package io.alknet.flowgraph;

/** What an edge of the call graph means. */
public enum EdgeType {
    /** The source call's handler made the target call (from the target's parent request id). */
    TRIGGERED,
    /** The source call waits for the target's result without having made it (declared by the caller). */
    DEPENDS_ON
}
