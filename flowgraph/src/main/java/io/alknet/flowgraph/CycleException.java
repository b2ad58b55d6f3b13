package io.alknet.flowgraph;

import java.util.List;

/** A change or a construction was refused because it would close a cycle; {@link #cycle()} names it. */
public final class CycleException extends IllegalArgumentException {

    private final List<String> cycle;

    public CycleException(List<String> cycle) {
        super("a cycle: " + String.join(" -> ", cycle));
        this.cycle = List.copyOf(cycle);
    }

    /** The nodes of the cycle in order, the first repeated at the end. */
    public List<String> cycle() {
        return cycle;
    }
}
