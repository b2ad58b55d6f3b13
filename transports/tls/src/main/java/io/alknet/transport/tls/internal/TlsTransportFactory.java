package io.alknet.transport.tls.internal;

import io.alknet.api.plugin.PluginContext;
import io.alknet.api.plugin.SettingSpec;
import io.alknet.api.plugin.Settings;
import io.alknet.api.transport.SecurityLevel;
import io.alknet.api.transport.Transport;
import io.alknet.api.transport.TransportFactory;

import java.util.List;
import java.util.Optional;

/** Creates {@link TlsTransport}s from the {@code transport.tls.*} settings (see {@link TlsSettings}). */
public final class TlsTransportFactory implements TransportFactory {

    @Override
    public String name() {
        return "tls";
    }

    @Override
    public SecurityLevel security() {
        return SecurityLevel.TLS;
    }

    @Override
    public Optional<List<SettingSpec>> settings() {
        return Optional.of(TlsSettings.DECLARED);
    }

    @Override
    public Transport create(Settings settings, PluginContext context) {
        return new TlsTransport(TlsSettings.from(settings), context.stateDirectory().resolve("acme"), context::httpGateway);
    }
}
