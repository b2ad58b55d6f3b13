package io.alknet.kernel.internal;

import io.alknet.api.Identity;
import io.alknet.api.metrics.Metrics;
import io.alknet.api.policy.Quota;
import io.alknet.api.stream.TransportStream;
import io.alknet.api.transport.Transport;
import io.alknet.api.transport.TransportAddress;
import io.alknet.testkit.MemoryTransport;
import io.alknet.testkit.contract.TransportContract;

import java.time.Clock;
import java.util.Set;
import java.util.UUID;

/**
 * A stream held to a bandwidth cap keeps every promise of a transport's stream (order, back-pressure, half-close after
 * the last byte, abort as an error): the whole {@link TransportContract} over the in-memory transport with every
 * stream, both ends, wrapped in a {@link MeteredStream} of one capped identity, as the kernel wraps forward targets.
 */
class MeteredStreamContractTest extends TransportContract {

    /** Slow enough that the contract's bulk transfers wait on the cap, fast enough to finish in seconds. */
    private static final IdentityAccount ACCOUNT = account(Quota.parse("rate=10MB/s"));

    static IdentityAccount account(Quota quota) {
        Identity identity = Identity.of("SHA256:capped", "capped", Set.of());
        IdentityAccount account = new IdentityAccount(identity, Clock.systemUTC(), new KernelMetrics(Metrics.NONE).identityMeters("other"));
        account.apply(identity, quota, System.nanoTime());
        return account;
    }

    private static TransportStream metered(TransportStream stream) {
        return new MeteredStream(stream, ACCOUNT, () -> {
        });
    }

    @Override
    protected Transport newServerTransport() {
        return new StreamWrappingTransport(new MemoryTransport(), MeteredStreamContractTest::metered);
    }

    @Override
    protected TransportAddress listenAddress() {
        return TransportAddress.of("memory", "metered-" + UUID.randomUUID(), 0);
    }
}
