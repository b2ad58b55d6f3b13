package io.alknet.flowgraph;

/** A call event that does not fit the call's state (say a result for a call already aborted), or names no known call. */
public final class InvalidTransitionException extends IllegalStateException {

    public InvalidTransitionException(String message) {
        super(message);
    }
}
