package io.alknet.storage.internal;

import io.alknet.api.call.AccessControl;
import io.alknet.api.call.Operation;
import io.alknet.api.call.OperationContext;
import io.alknet.api.call.OperationException;
import io.alknet.api.call.OperationSpec;
import io.alknet.api.call.OperationType;
import io.alknet.api.call.EventSink;
import io.alknet.storage.ChangeStream;
import io.alknet.storage.Storage;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code /storage/watch} ({@code /{node}/storage/watch} when routed): the change stream projected for callers
 * (spec §9). Each result is a versioned integration event, {@code {"version":1,"position":N,"topic":"accounts:updated",
 * "id":"…"}}: the table, what happened and to which row, never the row's content or the domain payload, so a
 * caller that needs the row asks for it. Input {@code {"after": N}} replays from after position N, then follows
 * live; without it, only changes from now on. Requires the scope {@value #SCOPE}.
 */
public final class StorageWatch {

    static final String PATH = "/storage/watch";
    static final String SCOPE = "storage:watch";
    static final String UNAVAILABLE = "STORAGE_UNAVAILABLE";
    private static final long POLL_MILLIS = 200;

    private StorageWatch() {
    }

    public static Operation operation(Supplier<Optional<Storage>> storage) {
        OperationSpec spec = OperationSpec.builder(PATH, OperationType.SUBSCRIPTION)
                .description("Storage changes as they commit: position, topic (table:created|updated|deleted|revoked) and row id. "
                        + "Give 'after' to replay from a position first.")
                .input(Map.of("type", "object", "properties", Map.of("after", Map.of("type", "integer", "minimum", 0)),
                        "additionalProperties", false))
                .output(Map.of("type", "object", "required", List.of("version", "position", "topic", "id")))
                .access(AccessControl.scopes(SCOPE))
                .errorCodes(UNAVAILABLE)
                .build();
        return Operation.subscription(spec, (input, context, sink) -> watch(storage, input, context, sink));
    }

    private static void watch(Supplier<Optional<Storage>> source, Object input, OperationContext context, EventSink sink)
            throws InterruptedException {
        Storage storage = source.get().orElseThrow(() -> new OperationException(UNAVAILABLE,
                "this server keeps no storage: start it with --storage FILE|URL"));
        ChangeStream changes = storage.changes();
        long position = input instanceof Map<?, ?> map && map.get("after") instanceof Number after ? after.longValue() : changes.head();
        while (!context.isCancelled()) {
            List<ChangeStream.Change> batch = changes.after(position, 500);
            for (ChangeStream.Change change : batch) {
                sink.emit(Map.of("version", 1, "position", change.position(), "topic", change.topic(), "id", change.entityId()));
                position = change.position();
            }
            if (batch.isEmpty()) {
                // polled: the writers are other processes (the CLI) and other servers as often as this one
                Thread.sleep(POLL_MILLIS);
            }
        }
    }
}
