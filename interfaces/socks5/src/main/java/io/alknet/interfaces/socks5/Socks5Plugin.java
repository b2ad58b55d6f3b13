package io.alknet.interfaces.socks5;

import io.alknet.interfaces.socks5.internal.Socks5FrontEndFactory;
import io.alknet.api.frontend.FrontEndFactory;
import io.alknet.api.plugin.AlknetPlugin;

import java.util.List;

/** Contributes the {@code socks5} front end. */
public final class Socks5Plugin implements AlknetPlugin {

    @Override
    public String name() {
        return "socks5";
    }

    @Override
    public List<FrontEndFactory> frontEnds() {
        return List.of(new Socks5FrontEndFactory());
    }
}
