package io.alknet.interfaces.ssh;

import io.alknet.interfaces.ssh.internal.SshInterfaceFactory;
import io.alknet.api.interfaces.StreamInterfaceFactory;
import io.alknet.api.plugin.AlknetPlugin;

import java.util.List;

/** Contributes the {@code ssh} stream interface. */
public final class SshPlugin implements AlknetPlugin {

    @Override
    public String name() {
        return "ssh";
    }

    @Override
    public List<StreamInterfaceFactory> streamInterfaces() {
        return List.of(new SshInterfaceFactory());
    }
}
