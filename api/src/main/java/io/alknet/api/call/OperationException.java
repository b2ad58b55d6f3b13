package io.alknet.api.call;

import java.util.Objects;
import java.util.Optional;

/**
 * A call that failed with a {@link CallError}. Handlers throw it to fail with a specific code; clients
 * receive it when a call fails. Any other exception a handler throws becomes {@code EXECUTION_ERROR}
 * (or the code its message starts with, {@code "CODE: …"}, when the spec declares that code).
 */
public class OperationException extends RuntimeException {

    private final CallError error;

    public OperationException(CallError error) {
        super(error.code() + ": " + error.message());
        this.error = Objects.requireNonNull(error, "error");
    }

    public OperationException(String code, String message) {
        this(CallError.of(code, message));
    }

    public OperationException(String code, String message, boolean retryable, Object details) {
        this(new CallError(code, message, retryable, Optional.ofNullable(details)));
    }

    public CallError error() {
        return error;
    }

    public String code() {
        return error.code();
    }
}
