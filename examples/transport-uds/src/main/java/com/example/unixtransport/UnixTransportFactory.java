package com.example.unixtransport;

import io.alknet.api.plugin.PluginContext;
import io.alknet.api.plugin.Settings;
import io.alknet.api.transport.SecurityLevel;
import io.alknet.api.transport.Transport;
import io.alknet.api.transport.TransportFactory;

import java.util.Set;

/** Creates {@link UnixTransport}s. It has no settings: every {@code transport.unix.*} key is refused. */
public final class UnixTransportFactory implements TransportFactory {

    @Override
    public String name() {
        return UnixTransport.SCHEME;
    }

    @Override
    public SecurityLevel security() {
        return SecurityLevel.UNPROTECTED;
    }

    @Override
    public Transport create(Settings settings, PluginContext context) {
        settings.requireOnly(Set.of());
        return new UnixTransport();
    }
}
