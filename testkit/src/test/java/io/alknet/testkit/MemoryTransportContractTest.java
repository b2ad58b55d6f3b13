package io.alknet.testkit;

import io.alknet.api.transport.Transport;
import io.alknet.api.transport.TransportAddress;
import io.alknet.testkit.contract.TransportContract;

import java.util.UUID;

/** The in-memory transport keeps the same contract as the socket transports. */
class MemoryTransportContractTest extends TransportContract {

    @Override
    protected Transport newServerTransport() {
        return new MemoryTransport();
    }

    @Override
    protected TransportAddress listenAddress() {
        return TransportAddress.of("memory", "contract-" + UUID.randomUUID(), 0);
    }
}
