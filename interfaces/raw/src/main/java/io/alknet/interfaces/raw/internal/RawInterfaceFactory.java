package io.alknet.interfaces.raw.internal;

import io.alknet.api.call.ControlChannel;
import io.alknet.api.interfaces.StreamInterface;
import io.alknet.api.interfaces.StreamInterfaceFactory;
import io.alknet.api.plugin.PluginContext;
import io.alknet.api.plugin.SettingSpec;
import io.alknet.api.plugin.Settings;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Settings under {@code interface.raw.}: {@code max-frame} (bytes, default 1 MiB), {@code auth-timeout}
 * (default 30s), {@code allow-insecure} (serve over an unencrypted transport to non-loopback peers; default
 * false), and for clients {@code credential} (a token from {@code alknet token} or an API key).
 */
public final class RawInterfaceFactory implements StreamInterfaceFactory {

    static final List<SettingSpec> DECLARED = List.of(
            SettingSpec.integer("max-frame", ControlChannel.DEFAULT_MAX_FRAME, "The largest frame in bytes (at least 64)."),
            SettingSpec.duration("auth-timeout", "30s", "Time a connection has to send its credential."),
            SettingSpec.bool("allow-insecure", false, "Serve over an unencrypted transport to peers that are not on loopback."),
            SettingSpec.string("credential", "Client: a token from 'alknet token' or an API key.").asSecret());

    @Override
    public String name() {
        return "raw";
    }

    @Override
    public Optional<List<SettingSpec>> settings() {
        return Optional.of(DECLARED);
    }

    @Override
    public StreamInterface create(Settings settings, PluginContext context) {
        settings.requireOnly(SettingSpec.names(DECLARED));
        int maxFrame = settings.integer("max-frame", ControlChannel.DEFAULT_MAX_FRAME);
        if (maxFrame < 64) {
            throw new io.alknet.api.AlknetException(io.alknet.api.ErrorCode.INVALID_CONFIG,
                    "interface.raw.max-frame must be at least 64 bytes, got " + maxFrame);
        }
        Duration authTimeout = settings.duration("auth-timeout", Duration.ofSeconds(30));
        if (authTimeout.isNegative() || authTimeout.isZero()) {
            throw new io.alknet.api.AlknetException(io.alknet.api.ErrorCode.INVALID_CONFIG,
                    "interface.raw.auth-timeout must be positive, e.g. 30s; got " + authTimeout);
        }
        return new RawInterface(maxFrame, authTimeout,
                settings.bool("allow-insecure", false), settings.get("credential"));
    }
}
