package io.alknet.api.transport;

/**
 * The protection a transport gives on its own, so policy never needs {@code instanceof}.
 */
public enum SecurityLevel {
    /** Plain bytes on the wire (TCP). Only an interface such as SSH protects them. */
    UNPROTECTED,
    /** TLS with a verified server certificate. */
    TLS,
    /** Encrypted and authenticated by other means with TLS-like guarantees (iroh QUIC). */
    TLS_EQUIVALENT
}
