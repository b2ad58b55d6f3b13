package io.alknet.transport.iroh;

import io.alknet.api.plugin.AlknetPlugin;
import io.alknet.api.transport.TransportFactory;
import io.alknet.transport.iroh.internal.IrohTransportFactory;

import java.util.List;

/**
 * Contributes the {@code iroh} transport: SSH sessions over iroh QUIC, dialled by endpoint id with NAT traversal
 * and relays. When the native library is missing (built without cargo) or cannot load, the transport still
 * registers and every use fails with the reason ({@code alknet plugins} shows it).
 */
public final class IrohPlugin implements AlknetPlugin {

    @Override
    public String name() {
        return "iroh";
    }

    @Override
    public List<TransportFactory> transports() {
        return List.of(new IrohTransportFactory());
    }
}
