package io.alknet.kernel;

import java.time.Duration;

/**
 * What a running client reports, for status lines and scripts. Never carries a tunnel destination.
 */
public sealed interface ClientEvent {

    /**
     * A session is up.
     *
     * @param server               the path that carries it (with several paths, the race's winner)
     * @param serverKeyFingerprint the server's host key
     * @param route                how it reaches the server at that moment ({@code tcp}, {@code tls}, {@code iroh direct},
     *                             {@code iroh relay}, …); {@link io.alknet.kernel.ClientStats#route()} follows changes
     */
    record Connected(String server, String serverKeyFingerprint, String route) implements ClientEvent {
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
