package io.alknet.interfaces.ssh.internal;

import io.alknet.api.interfaces.StreamInterface;
import io.alknet.api.interfaces.StreamInterfaceFactory;
import io.alknet.api.plugin.PluginContext;
import io.alknet.api.plugin.SettingSpec;
import io.alknet.api.plugin.Settings;
import io.alknet.interfaces.ssh.internal.SshInterface;

import java.util.List;
import java.util.Optional;

/** Creates the SSH interface; keys are loaded when it starts. */
public final class SshInterfaceFactory implements StreamInterfaceFactory {

    @Override
    public String name() {
        return "ssh";
    }

    @Override
    public Optional<List<SettingSpec>> settings() {
        return Optional.of(SshSettings.DECLARED);
    }

    @Override
    public StreamInterface create(Settings settings, PluginContext context) {
        return new SshInterface(SshSettings.from(settings), context);
    }
}
