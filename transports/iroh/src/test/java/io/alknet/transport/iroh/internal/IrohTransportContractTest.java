package io.alknet.transport.iroh.internal;

import io.alknet.api.plugin.Settings;
import io.alknet.api.transport.Transport;
import io.alknet.api.transport.TransportAddress;
import io.alknet.testkit.contract.TestPluginContext;
import io.alknet.testkit.contract.TransportContract;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

/** The iroh transport passes the same contract as tcp and tls: two endpoints on loopback, relays disabled. */
class IrohTransportContractTest extends TransportContract {

    @BeforeAll
    static void nativeLibrary() {
        NativeAvailable.assume();
    }

    @TempDir
    Path dir;

    static Transport transport(Path stateDirectory) {
        Transport transport = new IrohTransportFactory().create(Settings.of("transport.iroh.", Map.of("relay", "none")),
                TestPluginContext.in(stateDirectory));
        transport.start();
        return transport;
    }

    @Override
    protected Transport newServerTransport() {
        return transport(dir.resolve("server"));
    }

    @Override
    protected Transport newClientTransport() {
        return transport(dir.resolve("client"));
    }

    @Override
    protected TransportAddress listenAddress() {
        return TransportAddress.of("iroh", "127.0.0.1", 0);
    }
}
