package io.alknet.interfaces.forward;

import io.alknet.interfaces.forward.internal.LocalForwardFactory;
import io.alknet.interfaces.forward.internal.RemoteForwardFactory;
import io.alknet.api.frontend.FrontEndFactory;
import io.alknet.api.plugin.AlknetPlugin;

import java.util.List;

/** Contributes the {@code local-forward} ({@code -L}) and {@code remote-forward} ({@code -R}) front ends. */
public final class ForwardPlugin implements AlknetPlugin {

    @Override
    public String name() {
        return "forward";
    }

    @Override
    public List<FrontEndFactory> frontEnds() {
        return List.of(new LocalForwardFactory(), new RemoteForwardFactory());
    }
}
