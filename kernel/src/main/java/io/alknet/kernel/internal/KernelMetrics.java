package io.alknet.kernel.internal;

import io.alknet.api.metrics.Metrics;
import io.alknet.api.policy.Direction;
import io.alknet.api.stream.TransportStream;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The kernel's meters, by one name each (the table in docs/metrics.md). Tag values come only from closed sets: a
 * transport's scheme, a channel kind, an authentication method and reason code, a policy rule's name, an
 * {@link io.alknet.api.ErrorCode}; a value outside its set is counted as {@code other}. Destinations never get here.
 *
 * <p>Threading: safe from any thread, never blocks.
 */
final class KernelMetrics {

    /** Records nothing: the kernel's meters on a client and on a server without metrics. */
    static final KernelMetrics NONE = new KernelMetrics(Metrics.NONE);

    /** The kinds of channel a session opens. */
    enum ChannelKind {
        /** A local forward to a target ({@code direct-tcpip}, SOCKS5 through {@code -D}). */
        DIRECT_TCPIP,
        /** A connection accepted on a remote forward's listener ({@code forwarded-tcpip}). */
        FORWARDED_TCPIP,
        /** A relayed UDP destination. */
        UDP,
        /** The call protocol's control channel. */
        CONTROL;

        String tag() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * Methods and reason codes are the interfaces' stable words ({@code publickey}, {@code unknown_key}), never a peer's
     * text (the SSH interface already names a method the client made up {@code other}): anything else is {@code other}.
     */
    private static final Pattern CODE = Pattern.compile("[a-z][a-z0-9_-]{0,39}");
    /** A directory in a rule's label ({@code default(/etc/alknet/policy.rules:3)}): the file's name is enough. */
    private static final Pattern DIRECTORY = Pattern.compile("[^\\s()]*/");
    private static final Pattern NOT_A_NAME_CHARACTER = Pattern.compile("[^A-Za-z0-9_.:()-]+");

    private final Metrics metrics;

    KernelMetrics(Metrics metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    Metrics metrics() {
        return metrics;
    }

    /** A session on a listener of {@code transport} started being served; run the result when it ends. */
    Runnable sessionOpened(String transport) {
        String scheme = scheme(transport);
        metrics.counter("alknet.sessions", "Sessions served, by the transport they came over.", "transport", scheme).increment();
        Metrics.Gauge open = metrics.gauge("alknet.sessions.active", "Sessions being served now.", "transport", scheme);
        open.add(1);
        return () -> open.add(-1);
    }

    /**
     * Counts the bytes a listener's connection carries, when metrics are on: the stream to hand the stream interface
     * (the same one when they are off).
     */
    TransportStream countBytes(TransportStream stream) {
        if (!metrics.enabled()) {
            return stream;
        }
        String scheme = scheme(stream.peer().transport());
        return new CountingStream(stream,
                metrics.counter("alknet.transport.bytes", "Bytes received and sent on listeners' connections.",
                        "transport", scheme, "direction", "in"),
                metrics.counter("alknet.transport.bytes", "Bytes received and sent on listeners' connections.",
                        "transport", scheme, "direction", "out"));
    }

    /** A listener refused a connection before any protocol byte ({@code penalty}, {@code rate}, …). */
    void connectionRejected(String reason) {
        metrics.counter("alknet.connections.rejected", "Connections refused before any protocol byte, by reason.",
                "reason", code(reason)).increment();
    }

    void protocolError(String reason) {
        metrics.counter("alknet.connections.protocol.errors", "Connections that broke the protocol before logging in, by reason.",
                "reason", code(reason)).increment();
    }

    void authSuccess(String method) {
        metrics.counter("alknet.auth.successes", "Successful logins, by method.", "method", method(method)).increment();
    }

    void authFailure(String method, String reason) {
        metrics.counter("alknet.auth.failures", "Failed logins, by method and reason.", "method", method(method),
                "reason", code(reason)).increment();
    }

    void policyDenied(Direction direction, String rule) {
        metrics.counter("alknet.policy.denials", "Forwards the policy refused, by direction and the rule that decided.",
                "direction", direction.name().toLowerCase(Locale.ROOT), "rule", rule(rule)).increment();
    }

    /** A channel of {@code kind} opened. */
    void channelOpened(ChannelKind kind) {
        metrics.counter("alknet.channels", "Channels opened, by kind.", "kind", kind.tag()).increment();
    }

    /** A channel of {@code kind} whose end the kernel sees is open; run the result when it closes. */
    Runnable channelActive(ChannelKind kind) {
        Metrics.Gauge open = metrics.gauge("alknet.channels.active", "Channels open now, by kind.", "kind", kind.tag());
        open.add(1);
        return () -> open.add(-1);
    }

    /** A channel of {@code kind} was asked for and not opened; {@code code} is an {@link io.alknet.api.ErrorCode} name. */
    void channelFailed(ChannelKind kind, String code) {
        metrics.counter("alknet.channels.failed", "Channels asked for and not opened, by kind and error code.",
                "kind", kind.tag(), "code", code.matches("[A-Z][A-Z_]{0,39}") ? code : "OTHER").increment();
    }

    /** Counts the bytes a forward target's stream carries, when metrics are on. */
    TransportStream countTargetBytes(ChannelKind kind, TransportStream stream) {
        if (!metrics.enabled()) {
            return stream;
        }
        return new CountingStream(stream,
                metrics.counter("alknet.forward.bytes", "Bytes between the server and forward targets, by channel kind and direction.",
                        "kind", kind.tag(), "direction", "from-target"),
                metrics.counter("alknet.forward.bytes", "Bytes between the server and forward targets, by channel kind and direction.",
                        "kind", kind.tag(), "direction", "to-target"));
    }

    /** One identity's meters; {@code tag} is its id, or {@code other} for identities without a quota. */
    record IdentityMeters(String tag, Metrics.Counter up, Metrics.Counter down, Metrics.Gauge sessions, Metrics.Gauge channels) {
    }

    /**
     * The meters of the identity tagged {@code tag}. Identities are tagged by id only when a quota names them (a set the
     * operator wrote down); all others share {@code other}, so a certificate authority's many keys stay one series.
     */
    IdentityMeters identityMeters(String tag) {
        return new IdentityMeters(tag,
                metrics.counter("alknet.identity.bytes", "Bytes an identity sent (up) and received (down) through forwards.",
                        "identity", tag, "direction", "up"),
                metrics.counter("alknet.identity.bytes", "Bytes an identity sent (up) and received (down) through forwards.",
                        "identity", tag, "direction", "down"),
                metrics.gauge("alknet.identity.sessions.active", "Sessions an identity has open now.", "identity", tag),
                metrics.gauge("alknet.identity.channels.active", "Forwarded connections an identity has open now.", "identity", tag));
    }

    /** A quota refused a session or channel, or ended a channel; {@code limit} is {@code sessions}, {@code channels}, … */
    void quotaRefused(String limit) {
        metrics.counter("alknet.quota.refusals", "Sessions and channels refused (or ended) by an identity's quota, by limit.",
                "limit", code(limit)).increment();
    }

    /**
     * A rule's label as operators name it ({@code policy.rules:7}, {@code default(policy.rules:1)}, a {@code name=}),
     * without directories, in tag characters.
     */
    static String rule(String label) {
        String name = NOT_A_NAME_CHARACTER.matcher(DIRECTORY.matcher(label).replaceAll("")).replaceAll("_");
        return name.isEmpty() || name.length() > 64 ? "other" : name;
    }

    private static String scheme(String transport) {
        return transport.matches("[a-z][a-z0-9+.-]{0,31}") ? transport : "other";
    }

    private static String method(String method) {
        return code(method);
    }

    private static String code(String reason) {
        return reason != null && CODE.matcher(reason).matches() ? reason : "other";
    }
}
