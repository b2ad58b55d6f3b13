package com.example.unixtransport;

import io.alknet.api.plugin.AlknetPlugin;
import io.alknet.api.transport.TransportFactory;

import java.util.List;

/** Contributes the {@code unix} transport. Registered in {@code META-INF/services/io.alknet.api.plugin.AlknetPlugin}. */
public final class UnixTransportPlugin implements AlknetPlugin {

    @Override
    public String name() {
        return "example-unix-transport";
    }

    @Override
    public List<TransportFactory> transports() {
        return List.of(new UnixTransportFactory());
    }
}
