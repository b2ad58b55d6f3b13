package io.alknet.api;

/** Who has to act when an {@link ErrorCode} is raised. */
public enum ErrorCategory {
    /** The caller's input or configuration is wrong; fix it and retry. */
    USER,
    /** Authentication failed or the credential is not accepted. */
    AUTH,
    /** Authenticated, but a rule forbids the action. */
    POLICY,
    /** The network or the peer failed; retrying later may help. */
    TRANSPORT,
    /** A defect in alknet or a plugin. */
    INTERNAL
}
