package io.alknet.api.call;

/** What an operation does: reads ({@link #QUERY}), changes ({@link #MUTATION}) or streams ({@link #SUBSCRIPTION}). */
public enum OperationType {
    /** Read-only and idempotent; one result. */
    QUERY,
    /** Has side effects; one result. */
    MUTATION,
    /** A stream of results, ended by {@code call.completed}. */
    SUBSCRIPTION
}
