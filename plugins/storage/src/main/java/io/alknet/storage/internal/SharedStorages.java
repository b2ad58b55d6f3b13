package io.alknet.storage.internal;

import io.alknet.storage.Storage;
import io.alknet.storage.StorageOptions;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One open {@link Storage} per database in this process, counted: every configuration reload creates a new
 * identity provider, and each must not open (and migrate) a pool of its own. The last release closes it.
 */
public final class SharedStorages {

    private record Entry(Storage storage, int users) {
    }

    private static final Map<StorageOptions, Entry> OPEN = new HashMap<>();

    private SharedStorages() {
    }

    static synchronized Storage acquire(StorageOptions options, Clock clock) {
        Entry entry = OPEN.get(options);
        Storage storage = entry != null ? entry.storage() : Storage.open(options, clock);
        OPEN.put(options, new Entry(storage, entry == null ? 1 : entry.users() + 1));
        return storage;
    }

    /**
     * The storage this process's identity providers use, when there is exactly one: what {@code /storage/watch} serves.
     * Empty when none is open, or when several servers of this process use different ones.
     */
    public static synchronized Optional<Storage> single() {
        return OPEN.size() == 1 ? Optional.of(OPEN.values().iterator().next().storage()) : Optional.empty();
    }

    static synchronized void release(Storage storage) {
        Entry entry = OPEN.get(storage.options());
        if (entry == null || entry.storage() != storage) {
            return;
        }
        if (entry.users() <= 1) {
            OPEN.remove(storage.options());
            storage.close();
        } else {
            OPEN.put(storage.options(), new Entry(storage, entry.users() - 1));
        }
    }
}
