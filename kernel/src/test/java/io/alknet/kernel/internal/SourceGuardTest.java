package io.alknet.kernel.internal;

import io.alknet.api.stream.PeerInfo;
import io.alknet.api.transport.SecurityLevel;
import io.alknet.kernel.ServerLimits;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The penalty box, the per-address limit and MaxStartups as pure logic, on a clock the test moves. */
class SourceGuardTest {

    private static final PeerInfo A = peer("203.0.113.5");
    private static final PeerInfo B = peer("198.51.100.7");

    private final MutableClock clock = new MutableClock();
    private final AtomicReference<ServerLimits> limits = new AtomicReference<>(ServerLimits.DEFAULT);
    private final SourceGuard guard = new SourceGuard(limits::get, clock, new AuditLog());

    @Test
    void failedLoginsEarnAPenaltyThatRunsOut() {
        // default: authfail 5s, min 15s: the third failed connection reaches the threshold
        for (int i = 0; i < 3; i++) {
            assertThat(guard.admit(A)).isNull();
            guard.closed(A, SourceGuard.Outcome.AUTH_FAILED);
        }
        assertThat(guard.admit(A)).isEqualTo("penalty");
        assertThat(guard.admit(B)).as("another address is not affected").isNull();
        guard.closed(B, SourceGuard.Outcome.AUTHENTICATED);

        clock.advance(Duration.ofSeconds(14));
        assertThat(guard.admit(A)).as("refused for the whole penalty").isEqualTo("penalty");
        clock.advance(Duration.ofSeconds(2));
        assertThat(guard.admit(A)).as("admitted once it ran out").isNull();
        guard.closed(A, SourceGuard.Outcome.AUTHENTICATED);
    }

    @Test
    void successfulLoginsAndSlowFailuresNeverReachTheThreshold() {
        for (int i = 0; i < 100; i++) {
            assertThat(guard.admit(A)).isNull();
            guard.closed(A, i % 2 == 0 ? SourceGuard.Outcome.AUTHENTICATED : SourceGuard.Outcome.NO_AUTH);
            clock.advance(Duration.ofSeconds(1));
        }
        for (int i = 0; i < 20; i++) {
            assertThat(guard.admit(A)).isNull();
            guard.closed(A, SourceGuard.Outcome.AUTH_FAILED);
            clock.advance(Duration.ofSeconds(6)); // each 5s penalty has run out before the next failure
        }
        assertThat(guard.trackedSources()).isLessThanOrEqualTo(1);
    }

    @Test
    void penaltyNeverExceedsItsMaximum() {
        limits.set(ServerLimits.DEFAULT.withPenalties(ServerLimits.Penalties.parse("authfail:1m min:15s max:2m")));
        for (int i = 0; i < 10; i++) {
            guard.admit(A);
            guard.closed(A, SourceGuard.Outcome.AUTH_FAILED);
        }
        clock.advance(Duration.ofSeconds(59));
        assertThat(guard.admit(A)).isEqualTo("penalty");
        clock.advance(Duration.ofSeconds(62));
        assertThat(guard.admit(A)).isNull();
    }

    @Test
    void failedRequestsFillTheSamePenaltyBoxAtOnce() {
        // HTTP keeps its own connections: each failed request adds the penalty when it fails (default:
        // authfail 5s, min 15s), and a source in the box is refused for requests and connections alike
        limits.set(ServerLimits.DEFAULT.withMaxConnectionsPerIp(1));
        for (int i = 0; i < 3; i++) {
            assertThat(guard.admitRequest(A)).isNull();
            guard.requestFailed(A, SourceGuard.Outcome.AUTH_FAILED);
        }
        assertThat(guard.admitRequest(A)).isEqualTo("penalty");
        assertThat(guard.admit(A)).as("an SSH connection from the same address").isEqualTo("penalty");
        assertThat(guard.admitRequest(B)).isNull();

        clock.advance(Duration.ofSeconds(16));
        assertThat(guard.admitRequest(A)).isNull();
        assertThat(guard.admit(A)).as("requests never counted as open connections").isNull();
        guard.closed(A, SourceGuard.Outcome.AUTHENTICATED);

        for (int i = 0; i < 30; i++) {
            guard.requestFailed(B, SourceGuard.Outcome.NO_AUTH); // no credential: noauth (1s), which runs down as fast
            clock.advance(Duration.ofSeconds(1));
            assertThat(guard.admitRequest(B)).isNull();
        }
    }

    @Test
    void perAddressLimitCountsOpenConnections() {
        limits.set(ServerLimits.DEFAULT.withMaxConnectionsPerIp(2));
        assertThat(guard.admit(A)).isNull();
        assertThat(guard.admit(A)).isNull();
        assertThat(guard.admit(A)).isEqualTo("too_many_connections");
        assertThat(guard.admit(B)).isNull();
        guard.closed(A, SourceGuard.Outcome.AUTHENTICATED);
        assertThat(guard.admit(A)).isNull();
    }

    @Test
    void maxStartupsDropsEverythingAtFullAndNothingBelowStart() {
        limits.set(ServerLimits.DEFAULT.withMaxStartups(ServerLimits.MaxStartups.parse("3:50:5")));
        for (int i = 0; i < 3; i++) {
            assertThat(guard.admit(peer("192.0.2." + i))).isNull();
        }
        for (int i = 0; i < 500 && guard.unauthenticatedConnections() < 5; i++) {
            guard.admit(peer("192.0.2." + (10 + i % 200)));
        }
        assertThat(guard.unauthenticatedConnections()).isEqualTo(5);
        for (int i = 0; i < 50; i++) {
            assertThat(guard.admit(peer("192.0.2.250"))).as("at full, every new one is dropped").isEqualTo("max_startups");
        }
        guard.authenticated(); // one of them logs in: a slot frees up
        boolean admitted = false;
        for (int i = 0; i < 500 && !admitted; i++) {
            admitted = guard.admit(peer("192.0.2.251")) == null;
        }
        assertThat(admitted).isTrue();
    }

    @Test
    void specsParseAndPrintAsOpenSshWritesThem() {
        assertThat(ServerLimits.Penalties.parse("authfail:5s noauth:1s min:15s max:10m")).isEqualTo(ServerLimits.Penalties.DEFAULT);
        assertThat(ServerLimits.Penalties.parse("authfail:30s").toString()).isEqualTo("authfail:30s noauth:1s min:15s max:10m");
        assertThat(ServerLimits.Penalties.parse("no").enabled()).isFalse();
        assertThat(ServerLimits.MaxStartups.parse("10:30:100")).isEqualTo(new ServerLimits.MaxStartups(10, 30, 100));
        assertThat(ServerLimits.MaxStartups.parse("off").enabled()).isFalse();
        assertThatThrownBy(() -> ServerLimits.Penalties.parse("authfail:soon")).hasMessageContaining("authfail:soon");
        assertThatThrownBy(() -> ServerLimits.MaxStartups.parse("10:30")).hasMessageContaining("START:RATE:FULL");
    }

    private static PeerInfo peer(String address) {
        return PeerInfo.socket("tcp", SecurityLevel.UNPROTECTED, new InetSocketAddress(address, 40000), null);
    }

    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-11-29T06:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
