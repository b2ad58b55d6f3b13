package io.alknet.interfaces.http;

import io.alknet.api.interfaces.MessageInterfaceFactory;
import io.alknet.api.plugin.AlknetPlugin;
import io.alknet.interfaces.http.internal.HttpInterfaceFactory;

import java.util.List;

/** Contributes the {@code http} message interface: operations called with HTTP POST. */
public final class HttpPlugin implements AlknetPlugin {

    @Override
    public String name() {
        return "http";
    }

    @Override
    public List<MessageInterfaceFactory> messageInterfaces() {
        return List.of(new HttpInterfaceFactory());
    }
}
