package io.alknet.kernel.internal;

import io.alknet.api.Identity;
import io.alknet.api.policy.Direction;
import io.alknet.api.policy.PolicyDecision;
import io.alknet.api.stream.PeerInfo;
import jakarta.inject.Inject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Locale;

/**
 * The security log, logger {@code alknet.audit}: one fixed line format per event so that fail2ban and
 * scripts can parse it. The first field after the event name is always {@code remote_addr=<ip>} (no
 * port; the port follows as {@code remote_port}). Tunnel destinations never appear here or anywhere
 * else; peer-supplied values are escaped by {@link LogFields}.
 *
 * <pre>
 * auth.failure remote_addr=203.0.113.5 remote_port=51514 transport=tcp user=root method=publickey key=SHA256:… reason=unknown_key
 * connection.rejected remote_addr=203.0.113.5 remote_port=51515 transport=tcp reason=penalty
 * ratelimit.penalty remote_addr=203.0.113.5 remote_port=51514 transport=tcp duration=15s reason=authfail
 * connection.protocol_error remote_addr=203.0.113.5 remote_port=51516 transport=tcp reason=unsupported_version
 * </pre>
 */
public final class AuditLog {

    private static final Logger LOG = LoggerFactory.getLogger("alknet.audit");

    /** Every event logged here is also counted (auth, denials, refusals); {@link KernelMetrics#NONE} by default. */
    private final KernelMetrics metrics;

    @Inject
    public AuditLog() {
        this(KernelMetrics.NONE);
    }

    private AuditLog(KernelMetrics metrics) {
        this.metrics = metrics;
    }

    /** This log, also counting each event in {@code metrics}. */
    AuditLog counting(KernelMetrics metrics) {
        return new AuditLog(metrics);
    }

    public void connectionOpened(PeerInfo peer) {
        LOG.info("connection.opened {}", where(peer));
    }

    public void connectionClosed(PeerInfo peer, Duration duration) {
        LOG.info("connection.closed {} duration={}s", where(peer),
                String.format(Locale.ROOT, "%.3f", duration.toNanos() / 1e9));
    }

    /** The peer broke the protocol before logging in; the connection is closed. */
    public void protocolError(PeerInfo peer, String reason) {
        metrics.protocolError(reason);
        LOG.warn("connection.protocol_error {} reason={}", where(peer), LogFields.safe(reason));
    }

    public void connectionRejected(PeerInfo peer, String reason) {
        metrics.connectionRejected(reason);
        LOG.warn("connection.rejected {} reason={}", where(peer), reason);
    }

    /** A source earned enough penalty to be refused for {@code duration} (OpenSSH's PerSourcePenalties). */
    public void sourcePenalized(PeerInfo peer, Duration duration, String reason) {
        LOG.warn("ratelimit.penalty {} duration={}s reason={}", where(peer), duration.toSeconds(), reason);
    }

    public void authSuccess(PeerInfo peer, String user, String method, String key, Identity identity) {
        metrics.authSuccess(method);
        LOG.info("auth.success {} user={} method={} key={} identity={}", where(peer), LogFields.safe(user), method,
                LogFields.safe(key), LogFields.safe(identity.label()));
    }

    public void authFailure(PeerInfo peer, String user, String method, String key, String reason) {
        metrics.authFailure(method, reason);
        LOG.warn("auth.failure {} user={} method={} key={} reason={}", where(peer), LogFields.safe(user), method,
                LogFields.safe(key), LogFields.safe(reason));
    }

    /** A refused forward: names who and which rule, never the destination. */
    public void forwardDenied(PeerInfo peer, Identity identity, Direction direction, PolicyDecision decision) {
        metrics.policyDenied(direction, decision.rule());
        LOG.info("forward.denied {} identity={} direction={} rule={} reason={}", where(peer),
                LogFields.safe(identity.label()), direction.name().toLowerCase(Locale.ROOT),
                LogFields.quoted(decision.rule()), LogFields.quoted(decision.reason()));
    }

    private static String where(PeerInfo peer) {
        int port = peer.remoteAddress().filter(InetSocketAddress.class::isInstance)
                .map(a -> ((InetSocketAddress) a).getPort()).orElse(0);
        String identity = peer.transportIdentity().map(id -> " peer_id=" + LogFields.safe(id)).orElse("");
        return "remote_addr=" + peer.remoteHost() + " remote_port=" + port + " transport=" + peer.transport() + identity;
    }
}
