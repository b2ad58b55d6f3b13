package com.example.unixtransport;

import io.alknet.api.plugin.PluginContext;
import io.alknet.api.plugin.SettingSpec;
import io.alknet.api.plugin.Settings;
import io.alknet.api.transport.SecurityLevel;
import io.alknet.api.transport.Transport;
import io.alknet.api.transport.TransportFactory;

import java.util.List;
import java.util.Optional;

/** Creates {@link UnixTransport}s; its one setting, {@code transport.unix.directory}, is declared for the kernel. */
public final class UnixTransportFactory implements TransportFactory {

    static final SettingSpec DIRECTORY = SettingSpec.path("directory", "Where addresses without a path= go: unix://HOST:PORT "
            + "is the socket DIRECTORY/HOST-PORT.sock (say a server's forward targets, with server.forward-transport=unix).");

    @Override
    public String name() {
        return UnixTransport.SCHEME;
    }

    @Override
    public SecurityLevel security() {
        return SecurityLevel.UNPROTECTED;
    }

    @Override
    public Optional<List<SettingSpec>> settings() {
        return Optional.of(List.of(DIRECTORY));
    }

    @Override
    public Transport create(Settings settings, PluginContext context) {
        settings.requireOnly(SettingSpec.names(List.of(DIRECTORY)));
        return new UnixTransport(settings.path(DIRECTORY.name()));
    }
}
