package com.example.unixtransport;

import io.alknet.api.plugin.Settings;
import io.alknet.api.transport.Transport;
import io.alknet.api.transport.TransportAddress;
import io.alknet.testkit.contract.TestPluginContext;
import io.alknet.testkit.contract.TransportContract;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The unix transport against alknet's transport contract (alknet-testkit). */
class UnixTransportContractTest extends TransportContract {

    @TempDir
    Path dir;

    @Override
    protected Transport newServerTransport() {
        Transport transport = new UnixTransportFactory().create(Settings.empty("transport.unix."), TestPluginContext.in(dir));
        transport.start();
        return transport;
    }

    /** A unix socket's close is an end of file, whatever the reason (see {@link UnixTransport}). */
    @Override
    protected boolean peerSeesAbort() {
        return false;
    }

    @Override
    protected TransportAddress listenAddress() {
        return TransportAddress.parse("unix://localhost?path=" + dir.resolve("contract.sock"), 0);
    }
}
