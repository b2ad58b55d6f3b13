package io.alknet.kernel.internal.call;

import io.alknet.api.call.CallError;
import io.alknet.flowgraph.CallGraph;
import io.alknet.flowgraph.CycleException;
import io.alknet.flowgraph.InvalidTransitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.Optional;

/**
 * Feeds the process's {@link CallGraph} from the dispatcher's call events. A call the graph refuses (an id a peer
 * reused) is left out with all its later events, and an event that no longer fits (a call the cascade aborted
 * already) is dropped: the graph records calls, it never decides them. Thread-safe.
 */
final class CallRecorder {

    private static final Logger LOG = LoggerFactory.getLogger("alknet.flow");

    private final CallGraph graph;

    CallRecorder(CallGraph graph) {
        this.graph = Objects.requireNonNull(graph, "graph");
    }

    CallGraph graph() {
        return graph;
    }

    void requested(CallContext context, String operation) {
        context.recorded(requested(context.requestId(), operation, context.linkedParent(), context.identity().name()));
    }

    /** Records a call this process makes to another node (a hop); false when the graph refused it. */
    boolean requested(String requestId, String operation, Optional<String> parent, String caller) {
        try {
            graph.requested(requestId, operation, parent, caller);
            return true;
        } catch (InvalidTransitionException | CycleException e) {
            LOG.debug("flow.call.unrecorded reason=\"{}\"", e.getMessage());
            return false;
        }
    }

    void running(CallContext context) {
        if (context.recorded()) {
            running(context.requestId());
        }
    }

    void running(String requestId) {
        quietly(() -> graph.running(requestId));
    }

    void completed(CallContext context) {
        if (context.recorded()) {
            completed(context.requestId());
        }
    }

    void completed(String requestId) {
        quietly(() -> graph.completed(requestId));
    }

    void ended(CallContext context, CallError error) {
        if (context.recorded()) {
            ended(context.requestId(), error);
        }
    }

    /** A failure, or an abort when the code says the call was cancelled. */
    void ended(String requestId, CallError error) {
        String why = error.code() + ": " + error.message();
        if (error.code().equals(CallError.ABORTED)) {
            quietly(() -> graph.aborted(requestId, why));
        } else {
            quietly(() -> graph.failed(requestId, why));
        }
    }

    private static void quietly(Runnable event) {
        try {
            event.run();
        } catch (InvalidTransitionException e) {
            LOG.debug("flow.event.dropped reason=\"{}\"", e.getMessage());
        }
    }
}
