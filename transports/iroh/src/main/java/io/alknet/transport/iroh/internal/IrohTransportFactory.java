package io.alknet.transport.iroh.internal;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.api.plugin.PluginContext;
import io.alknet.api.plugin.Settings;
import io.alknet.api.transport.SecurityLevel;
import io.alknet.api.transport.Transport;
import io.alknet.api.transport.TransportFactory;

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

    /** Why the transport cannot be used here (no native library, another platform), or {@code null}. */
    public static String unavailableReason() {
        return Native.unavailableReason();
    }

    @Override
    public Transport create(Settings settings, PluginContext context) {
        IrohSettings parsed = IrohSettings.from(settings);
        String unavailable = unavailableReason();
        if (unavailable != null) {
            throw new AlknetException(ErrorCode.INVALID_CONFIG, "the iroh transport is unavailable: " + unavailable);
        }
        return new IrohTransport(parsed, context);
    }
}
