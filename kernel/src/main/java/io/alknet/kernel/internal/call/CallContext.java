package io.alknet.kernel.internal.call;

import io.alknet.api.Identity;
import io.alknet.api.call.CallError;
import io.alknet.api.call.OperationContext;
import io.alknet.api.call.OperationEnv;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/** The context of one running call; cancellation is one-shot and runs the registered actions once. */
final class CallContext implements OperationContext {

    private final String requestId;
    private final Optional<String> parentRequestId;
    private final Identity identity;
    private final Map<String, Object> metadata;
    private final Optional<Instant> deadline;
    private final boolean trusted;
    private final AtomicReference<CallError> cancelled = new AtomicReference<>();
    private final List<Runnable> onCancel = new ArrayList<>();
    private volatile OperationEnv env;
    /** The connection the call came over (null for HTTP and nested calls): where {@code /head/services/register} binds. */
    private volatile CallEngine arrivedOver;
    /** The parent as the call graph links it: only one this process knows made the call, never a peer's mere claim. */
    private volatile Optional<String> linkedParent = Optional.empty();
    /** True once the call graph accepted this call, so that its later events go there too. */
    private volatile boolean recorded;

    CallContext(String requestId, Optional<String> parentRequestId, Identity identity, Map<String, Object> metadata,
                Optional<Instant> deadline, boolean trusted) {
        this.requestId = Objects.requireNonNull(requestId, "requestId");
        this.parentRequestId = parentRequestId;
        this.identity = Objects.requireNonNull(identity, "identity");
        this.metadata = Map.copyOf(metadata);
        this.deadline = deadline;
        this.trusted = trusted;
    }

    void env(OperationEnv value) {
        env = value;
    }

    CallEngine arrivedOver() {
        return arrivedOver;
    }

    void arrivedOver(CallEngine engine) {
        arrivedOver = engine;
    }

    Optional<String> linkedParent() {
        return linkedParent;
    }

    void linkedParent(Optional<String> parent) {
        linkedParent = Objects.requireNonNull(parent, "parent");
    }

    boolean recorded() {
        return recorded;
    }

    void recorded(boolean value) {
        recorded = value;
    }

    @Override
    public String requestId() {
        return requestId;
    }

    @Override
    public Optional<String> parentRequestId() {
        return parentRequestId;
    }

    @Override
    public Identity identity() {
        return identity;
    }

    @Override
    public Map<String, Object> metadata() {
        return metadata;
    }

    @Override
    public Optional<Instant> deadline() {
        return deadline;
    }

    @Override
    public boolean trusted() {
        return trusted;
    }

    @Override
    public boolean isCancelled() {
        return cancelled.get() != null;
    }

    /** Why the call was cancelled, if it was. */
    Optional<CallError> cancellation() {
        return Optional.ofNullable(cancelled.get());
    }

    @Override
    public void onCancel(Runnable action) {
        synchronized (onCancel) {
            if (cancelled.get() == null) {
                onCancel.add(action);
                return;
            }
        }
        action.run();
    }

    /** Cancels (once); returns false when it already was. */
    boolean cancel(CallError reason) {
        if (!cancelled.compareAndSet(null, reason)) {
            return false;
        }
        List<Runnable> actions;
        synchronized (onCancel) {
            actions = List.copyOf(onCancel);
            onCancel.clear();
        }
        for (Runnable action : actions) {
            try {
                action.run();
            } catch (RuntimeException ignored) {
                // one failing action must not keep the others from running
            }
        }
        return true;
    }

    @Override
    public OperationEnv env() {
        return env;
    }
}
