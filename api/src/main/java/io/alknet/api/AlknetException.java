package io.alknet.api;

import java.util.Objects;

/**
 * The one unchecked exception of alknet. Its message says what happened and what to do next;
 * {@link #code()} is stable and machine-readable. Stream failures stay {@link java.io.IOException}.
 */
public class AlknetException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public AlknetException(ErrorCode code, String message) {
        super(Objects.requireNonNull(message, "message"));
        this.code = Objects.requireNonNull(code, "code");
    }

    public AlknetException(ErrorCode code, String message, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    public ErrorCode code() {
        return code;
    }

    /** Returns the {@link ErrorCode} of {@code error} or of its first {@code AlknetException} cause, else {@code fallback}. */
    public static ErrorCode codeOf(Throwable error, ErrorCode fallback) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof AlknetException alknet) {
                return alknet.code();
            }
        }
        return fallback;
    }
}
