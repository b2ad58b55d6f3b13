package io.alknet.transport.tcp;

import io.alknet.transport.tcp.internal.TcpTransportFactory;
import io.alknet.api.plugin.AlknetPlugin;
import io.alknet.api.transport.TransportFactory;

import java.util.List;

/** Contributes the {@code tcp} transport. */
public final class TcpPlugin implements AlknetPlugin {

    @Override
    public String name() {
        return "tcp";
    }

    @Override
    public List<TransportFactory> transports() {
        return List.of(new TcpTransportFactory());
    }
}
