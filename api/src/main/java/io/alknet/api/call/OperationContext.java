package io.alknet.api.call;

import io.alknet.api.Identity;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * What a handler knows about the call it serves. Thread-safe.
 */
public interface OperationContext {

    /** This call's id (a UUID). */
    String requestId();

    /** The id of the call whose handler made this one, for the call graph. */
    Optional<String> parentRequestId();

    /**
     * Who is calling: the identity the interface authenticated (SSH key, token, API key), never one the
     * peer merely claims. Nested calls through {@link #env()} keep the original caller's identity.
     */
    Identity identity();

    /** The caller's metadata: trace ids, flags. */
    Map<String, Object> metadata();

    /** When the caller stops waiting, if it said. */
    Optional<Instant> deadline();

    /** True for calls made by a handler through its env: access control was skipped. */
    boolean trusted();

    /** True once the caller cancelled, the deadline passed, or the connection closed. */
    boolean isCancelled();

    /** Runs {@code action} once when the call is cancelled (at once if it already is). */
    void onCancel(Runnable action);

    /** How this handler calls further operations: locally, on the peer, or a service. */
    OperationEnv env();
}
