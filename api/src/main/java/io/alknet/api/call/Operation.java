package io.alknet.api.call;

import java.util.Objects;

/**
 * An operation as registered: its spec and its code. Exactly one of the handlers is set, matching the
 * spec's type.
 */
public record Operation(OperationSpec spec, OperationHandler handler, SubscriptionHandler subscriptionHandler) {

    public Operation {
        Objects.requireNonNull(spec, "spec");
        boolean subscription = spec.type() == OperationType.SUBSCRIPTION;
        if (subscription ? subscriptionHandler == null || handler != null : handler == null || subscriptionHandler != null) {
            throw new IllegalArgumentException(spec.path() + ": a " + spec.type().name().toLowerCase(java.util.Locale.ROOT)
                    + (subscription ? " needs a SubscriptionHandler" : " needs an OperationHandler"));
        }
    }

    /** A query or mutation. */
    public static Operation of(OperationSpec spec, OperationHandler handler) {
        return new Operation(spec, handler, null);
    }

    /** A subscription. */
    public static Operation subscription(OperationSpec spec, SubscriptionHandler handler) {
        return new Operation(spec, null, handler);
    }
}
