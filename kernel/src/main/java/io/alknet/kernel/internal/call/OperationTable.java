package io.alknet.kernel.internal.call;

import io.alknet.api.call.Operation;
import io.alknet.api.call.OperationRegistry;
import io.alknet.api.call.OperationSpec;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The operations one side (server or client) serves, with the class loader each one's handler runs
 * under (its plugin's, or the embedder's). Thread-safe.
 */
public final class OperationTable implements OperationRegistry {

    /** A registered operation and the context class loader its handler runs with. */
    record Entry(Operation operation, ClassLoader loader) {
    }

    private final ConcurrentSkipListMap<String, Entry> entries = new ConcurrentSkipListMap<>();
    private final java.util.List<Runnable> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Runs {@code listener} after each registration or removal (a worker tells its head). */
    void onChange(Runnable listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    private void changed() {
        listeners.forEach(Runnable::run);
    }

    @Override
    public void register(Operation operation) {
        register(operation, Thread.currentThread().getContextClassLoader());
    }

    /** Registers with an explicit class loader (a plugin's). */
    public void register(Operation operation, ClassLoader loader) {
        Objects.requireNonNull(operation, "operation");
        Entry previous = entries.putIfAbsent(operation.spec().path(), new Entry(operation, loader));
        if (previous != null) {
            throw new IllegalArgumentException("operation " + operation.spec().path() + " is already registered");
        }
        changed();
    }

    @Override
    public boolean unregister(String path) {
        boolean removed = entries.remove(path) != null;
        if (removed) {
            changed();
        }
        return removed;
    }

    @Override
    public Optional<Operation> find(String path) {
        return entry(path).map(Entry::operation);
    }

    Optional<Entry> entry(String path) {
        return Optional.ofNullable(entries.get(path));
    }

    @Override
    public List<OperationSpec> specs() {
        return entries.values().stream().map(entry -> entry.operation().spec()).toList();
    }
}
