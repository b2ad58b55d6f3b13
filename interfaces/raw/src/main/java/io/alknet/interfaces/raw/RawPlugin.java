package io.alknet.interfaces.raw;

import io.alknet.api.interfaces.StreamInterfaceFactory;
import io.alknet.api.plugin.AlknetPlugin;
import io.alknet.interfaces.raw.internal.RawInterfaceFactory;

import java.util.List;

/** Contributes the {@code raw} stream interface: the call protocol straight over a transport stream. */
public final class RawPlugin implements AlknetPlugin {

    @Override
    public String name() {
        return "raw";
    }

    @Override
    public List<StreamInterfaceFactory> streamInterfaces() {
        return List.of(new RawInterfaceFactory());
    }
}
