package io.alknet.transport.tcp.internal;

import io.alknet.api.plugin.PluginContext;
import io.alknet.api.plugin.SettingSpec;
import io.alknet.api.plugin.Settings;
import io.alknet.api.transport.SecurityLevel;
import io.alknet.api.transport.Transport;
import io.alknet.api.transport.TransportFactory;

import java.util.List;
import java.util.Optional;

/** Creates {@link TcpTransport}s. */
public final class TcpTransportFactory implements TransportFactory {

    @Override
    public String name() {
        return "tcp";
    }

    @Override
    public SecurityLevel security() {
        return SecurityLevel.UNPROTECTED;
    }

    @Override
    public Optional<List<SettingSpec>> settings() {
        return Optional.of(TcpSettings.DECLARED);
    }

    @Override
    public Transport create(Settings settings, PluginContext context) {
        return new TcpTransport(TcpSettings.from(settings));
    }
}
