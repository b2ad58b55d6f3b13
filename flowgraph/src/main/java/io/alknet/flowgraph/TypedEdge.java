package io.alknet.flowgraph;

import java.util.Objects;
import java.util.Optional;

/**
 * An edge of the operation graph: {@code from}'s output could feed {@code to}'s input.
 *
 * @param compatible true when the output has every input property with the same schema (exact or a superset)
 * @param detail     for an incompatible edge, what does not fit
 */
public record TypedEdge(String from, String to, boolean compatible, Optional<String> detail) {

    public TypedEdge {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(detail, "detail");
    }
}
