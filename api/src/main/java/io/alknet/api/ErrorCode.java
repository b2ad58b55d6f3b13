package io.alknet.api;

import java.util.Objects;

/**
 * Stable error identifiers. The {@link #name()} of a constant never changes once released: scripts,
 * logs and the call protocol refer to it.
 */
public enum ErrorCode {
    /** A command-line flag, URI, forward spec or option is malformed. */
    INVALID_ARGUMENT(ErrorCategory.USER),
    /** A configuration file or setting is malformed or refers to something missing. */
    INVALID_CONFIG(ErrorCategory.USER),
    /** A key file is missing, truncated or in a format alknet does not read. */
    INVALID_KEY(ErrorCategory.USER),
    /** No plugin provides the requested transport, interface or provider name. */
    UNKNOWN_COMPONENT(ErrorCategory.USER),
    /** Two plugins claim the same name, or a plugin jar is broken. */
    PLUGIN_CONFLICT(ErrorCategory.USER),
    /** The peer's credential was not accepted. */
    AUTH_REJECTED(ErrorCategory.AUTH),
    /** The server's host key is not the expected one. */
    HOST_KEY_REJECTED(ErrorCategory.AUTH),
    /** A rate limit refused the request; retry after the penalty. */
    RATE_LIMITED(ErrorCategory.POLICY),
    /** The forwarding policy denied the request. */
    FORWARD_DENIED(ErrorCategory.POLICY),
    /** The identity's quota (sessions, channels, bytes per day) is used up; the message says which and how much. */
    QUOTA_EXCEEDED(ErrorCategory.POLICY),
    /** The forward target refused the connection. */
    TARGET_REFUSED(ErrorCategory.TRANSPORT),
    /** The forward target's host is unreachable. */
    TARGET_UNREACHABLE(ErrorCategory.TRANSPORT),
    /** The forward target's network is unreachable. */
    TARGET_NETWORK_UNREACHABLE(ErrorCategory.TRANSPORT),
    /** The forward target's host name does not resolve. */
    TARGET_UNRESOLVED(ErrorCategory.TRANSPORT),
    /** Connecting to the forward target timed out. */
    TARGET_TIMEOUT(ErrorCategory.TRANSPORT),
    /** The transport connection could not be established or was lost. */
    CONNECTION_FAILED(ErrorCategory.TRANSPORT),
    /** The session is closed (or not yet re-established); the request cannot be served. */
    SESSION_CLOSED(ErrorCategory.TRANSPORT),
    /** The peer violated the protocol. */
    PROTOCOL_ERROR(ErrorCategory.TRANSPORT),
    /** The operation is not supported by this component. */
    UNSUPPORTED(ErrorCategory.USER),
    /** A defect; the message says where. */
    INTERNAL(ErrorCategory.INTERNAL);

    private final ErrorCategory category;

    ErrorCode(ErrorCategory category) {
        this.category = Objects.requireNonNull(category, "category");
    }

    public ErrorCategory category() {
        return category;
    }
}
