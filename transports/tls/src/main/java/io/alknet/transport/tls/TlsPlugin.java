package io.alknet.transport.tls;

import io.alknet.api.plugin.AlknetPlugin;
import io.alknet.api.transport.TransportFactory;
import io.alknet.transport.tls.internal.TlsTransportFactory;

import java.util.List;

/** Contributes the {@code tls} transport: SSH (or raw framing) inside TLS 1.3, with an optional stealth mode. */
public final class TlsPlugin implements AlknetPlugin {

    @Override
    public String name() {
        return "tls";
    }

    @Override
    public List<TransportFactory> transports() {
        return List.of(new TlsTransportFactory());
    }
}
