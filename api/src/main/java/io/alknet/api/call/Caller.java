package io.alknet.api.call;

import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Calls operations on one peer. Thread-safe; nothing blocks.
 */
public interface Caller {

    /**
     * Calls a query or mutation.
     *
     * @return the result; or exceptionally with {@link OperationException} carrying the peer's error,
     *     {@code TIMEOUT}, or {@code ABORTED} when the connection closed
     */
    CompletionStage<Object> call(String path, Object input, CallOptions options);

    default CompletionStage<Object> call(String path, Object input) {
        return call(path, input, CallOptions.DEFAULT);
    }

    /**
     * Subscribes: every result is one {@code onNext}, in order; {@code onComplete} at the end;
     * {@code onError} with an {@link OperationException}. Cancelling the subscription sends
     * {@code call.aborted}. Demand is honoured locally (results beyond it wait in a bounded buffer).
     */
    Flow.Publisher<Object> subscribe(String path, Object input);

    /** The operations the peer offers this caller ({@code /services/list}). */
    CompletionStage<List<OperationSpec>> operations();
}
