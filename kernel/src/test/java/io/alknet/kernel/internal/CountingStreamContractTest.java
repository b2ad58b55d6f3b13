package io.alknet.kernel.internal;

import io.alknet.api.metrics.Metrics;
import io.alknet.api.stream.TransportStream;
import io.alknet.api.transport.Transport;
import io.alknet.api.transport.TransportAddress;
import io.alknet.testkit.MemoryTransport;
import io.alknet.testkit.contract.TransportContract;

import java.util.UUID;
import java.util.concurrent.atomic.LongAdder;

/**
 * A stream whose bytes are counted keeps every promise of a transport's stream (order, back-pressure, half-close after
 * the last byte, abort as an error): the whole {@link TransportContract} over the in-memory transport with every
 * stream, both ends, wrapped in a {@link CountingStream} — as the kernel wraps listeners' connections and forward
 * targets when metrics are on.
 */
class CountingStreamContractTest extends TransportContract {

    private static final LongAdder COUNTED = new LongAdder();

    private static TransportStream counted(TransportStream stream) {
        Metrics.Counter counter = COUNTED::add;
        return new CountingStream(stream, counter, counter);
    }

    @Override
    protected Transport newServerTransport() {
        return new StreamWrappingTransport(new MemoryTransport(), CountingStreamContractTest::counted);
    }

    @Override
    protected TransportAddress listenAddress() {
        return TransportAddress.of("memory", "counting-" + UUID.randomUUID(), 0);
    }
}
