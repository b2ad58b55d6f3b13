package io.alknet.transport.tcp.internal;

import io.alknet.api.plugin.Settings;
import io.alknet.api.transport.Transport;
import io.alknet.api.transport.TransportAddress;
import io.alknet.testkit.contract.TestPluginContext;
import io.alknet.testkit.contract.TransportContract;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The tcp transport against the transport contract, on loopback. */
class TcpTransportContractTest extends TransportContract {

    @TempDir
    Path state;

    @Override
    protected Transport newServerTransport() {
        Transport transport = new TcpTransportFactory().create(Settings.empty("transport.tcp."), TestPluginContext.in(state));
        transport.start();
        return transport;
    }

    @Override
    protected TransportAddress listenAddress() {
        return TransportAddress.parse("tcp://127.0.0.1:0", 0);
    }
}
