package io.alknet.api.call;

import java.util.List;
import java.util.Optional;

/**
 * The operations a process serves. Plugins contribute theirs through
 * {@link io.alknet.api.plugin.AlknetPlugin#operations()}; embedders register more at any time. Thread-safe.
 */
public interface OperationRegistry {

    /**
     * Adds an operation.
     *
     * @throws IllegalArgumentException when the path is taken
     */
    void register(Operation operation);

    /** Removes an operation; false when there was none. */
    boolean unregister(String path);

    Optional<Operation> find(String path);

    /** Every spec, sorted by path. */
    List<OperationSpec> specs();
}
