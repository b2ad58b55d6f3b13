package io.alknet.interfaces.forward.internal;

import io.alknet.api.frontend.FrontEnd;
import io.alknet.api.frontend.FrontEndFactory;
import io.alknet.api.plugin.PluginContext;
import io.alknet.api.plugin.SettingSpec;
import io.alknet.api.plugin.Settings;

import java.util.List;
import java.util.Optional;

/** Creates {@code -L} forwards. */
public final class LocalForwardFactory implements FrontEndFactory {

    @Override
    public String name() {
        return "local-forward";
    }

    @Override
    public String specSyntax() {
        return "[BIND:]PORT:HOST:HOSTPORT";
    }

    @Override
    public Optional<List<SettingSpec>> settings() {
        return Optional.of(List.of());
    }

    @Override
    public FrontEnd create(String spec, Settings settings, PluginContext context) {
        settings.requireOnly(java.util.Set.of());
        return new LocalForward(ForwardSpec.parse("-L", spec, "127.0.0.1"));
    }
}
