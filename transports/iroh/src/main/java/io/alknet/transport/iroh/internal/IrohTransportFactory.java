package io.alknet.transport.iroh.internal;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.api.plugin.PluginContext;
import io.alknet.api.plugin.SettingSpec;
import io.alknet.api.plugin.Settings;
import io.alknet.api.transport.SecurityLevel;
import io.alknet.api.transport.Transport;
import io.alknet.api.transport.TransportFactory;

import java.util.List;
import java.util.Optional;

/** Creates {@link IrohTransport}s; refuses with the reason when the native library cannot be used. */
public final class IrohTransportFactory implements TransportFactory {

    @Override
    public String name() {
        return IrohTransport.SCHEME;
    }

    @Override
    public SecurityLevel security() {
        return SecurityLevel.TLS_EQUIVALENT;
    }

    @Override
    public Optional<String> unavailableReason() {
        return Optional.ofNullable(Native.unavailableReason());
    }

    @Override
    public Optional<List<SettingSpec>> settings() {
        return Optional.of(IrohSettings.DECLARED);
    }

    @Override
    public Transport create(Settings settings, PluginContext context) {
        IrohSettings parsed = IrohSettings.from(settings);
        Native.load(); // the first use loads the library; a failure is its reason from now on
        String unavailable = Native.unavailableReason();
        if (unavailable != null) {
            throw new AlknetException(ErrorCode.UNSUPPORTED, "the iroh transport is unavailable: " + unavailable);
        }
        return new IrohTransport(parsed, context);
    }
}
