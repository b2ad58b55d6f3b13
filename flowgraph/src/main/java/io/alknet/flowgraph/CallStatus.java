package io.alknet.flowgraph;

/**
 * Where a call stands: {@code PENDING} (requested) → {@code RUNNING} (its handler started) → one of the terminal
 * states. A pending call may also end without running (refused, aborted, timed out).
 */
public enum CallStatus {
    PENDING,
    RUNNING,
    COMPLETED,
    FAILED,
    ABORTED;

    public boolean isTerminal() {
        return this == COMPLETED || this == FAILED || this == ABORTED;
    }

    /** True when a call in this state may move to {@code next}. */
    public boolean canMoveTo(CallStatus next) {
        return switch (this) {
            case PENDING -> next != PENDING;
            case RUNNING -> next.isTerminal();
            case COMPLETED, FAILED, ABORTED -> false;
        };
    }
}
