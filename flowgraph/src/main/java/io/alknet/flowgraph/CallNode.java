package io.alknet.flowgraph;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One call as the graph knows it: an immutable snapshot.
 *
 * @param requestId       the call's id
 * @param operation       the path it called
 * @param parentRequestId the call whose handler made it, if any (it may be on another node, then not in this graph)
 * @param caller          who called (an identity label), never a secret
 * @param status          where it stands
 * @param requestedAt     when it was requested
 * @param startedAt       when its handler started, if it did
 * @param endedAt         when it reached a terminal state, if it did
 * @param error           the error code and message of a failed or aborted call
 */
public record CallNode(String requestId, String operation, Optional<String> parentRequestId, String caller, CallStatus status,
                       Instant requestedAt, Optional<Instant> startedAt, Optional<Instant> endedAt, Optional<String> error) {

    public CallNode {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(parentRequestId, "parentRequestId");
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(requestedAt, "requestedAt");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(endedAt, "endedAt");
        Objects.requireNonNull(error, "error");
    }

    /** From start to end; from request to end for a call that never ran; empty while it runs. */
    public Optional<Duration> duration() {
        return endedAt.map(end -> Duration.between(startedAt.orElse(requestedAt), end));
    }

    CallNode moved(CallStatus next, Instant at, Optional<String> why) {
        return new CallNode(requestId, operation, parentRequestId, caller, next, requestedAt,
                next == CallStatus.RUNNING ? Optional.of(at) : startedAt,
                next.isTerminal() ? Optional.of(at) : endedAt, why.isPresent() ? why : error);
    }
}
