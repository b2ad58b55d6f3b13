package io.alknet.kernel;

import java.time.Duration;

/**
 * What a running client reports, for status lines and scripts. Never carries a tunnel destination.
 */
public sealed interface ClientEvent {

    /** A session is up. */
    record Connected(String server, String serverKeyFingerprint) implements ClientEvent {
    }

    /** The session was lost. */
    record Disconnected(String reason) implements ClientEvent {
    }

    /** The next reconnect attempt starts after {@code delay}. */
    record Reconnecting(int attempt, Duration delay, String lastError) implements ClientEvent {
    }

    /** A front end is listening. */
    record FrontEndReady(String description) implements ClientEvent {
    }

    /** A front end's per-session setup failed (e.g. the server refused a remote forward). */
    record FrontEndFailed(String description, String reason) implements ClientEvent {
    }
}
