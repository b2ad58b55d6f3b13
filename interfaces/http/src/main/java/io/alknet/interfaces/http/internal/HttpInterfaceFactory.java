package io.alknet.interfaces.http.internal;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.api.interfaces.MessageInterface;
import io.alknet.api.interfaces.MessageInterfaceFactory;
import io.alknet.api.plugin.PluginContext;
import io.alknet.api.plugin.SettingSpec;
import io.alknet.api.plugin.Settings;
import io.alknet.api.transport.TransportAddress;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Settings under {@code interface.http.}: {@code listen} ({@code HOST:PORT}; the interface starts only when
 * it is set), {@code max-body} (bytes, default 1 MiB) and {@code trusted-proxies} (the addresses of reverse proxies
 * the operator runs in front of the interface, whose {@code X-Forwarded-For} names the real client; default none.
 * Never list an address other local programs can connect from, e.g. loopback on a server whose users may tunnel to
 * it: each of them could then name any client. The stealth TLS listener needs none of this: it hands requests over
 * in-process, with the real peer).
 */
public final class HttpInterfaceFactory implements MessageInterfaceFactory {

    static final List<SettingSpec> DECLARED = List.of(
            SettingSpec.string("listen", "Serve the call protocol over HTTP (POST /v1/call/OP, GET /v1/ops; bearer token or API "
                            + "key) on this address, e.g. --http 127.0.0.1:8080. With --stealth, the TLS port passes /v1/ requests "
                            + "that carry a credential to it too (in-process, with the real client address).")
                    .withFlag("--http").withLabel("HOST:PORT").inFile("server.http"),
            SettingSpec.integer("max-body", 1 << 20, "The largest request body in bytes."),
            SettingSpec.list("trusted-proxies", "IP addresses of reverse proxies in front of the interface, whose "
                    + "X-Forwarded-For names the real client. Never list an address other local programs can connect from."));

    @Override
    public String name() {
        return "http";
    }

    @Override
    public Optional<List<SettingSpec>> settings() {
        return Optional.of(DECLARED);
    }

    @Override
    public MessageInterface create(Settings settings, PluginContext context) {
        settings.requireOnly(SettingSpec.names(DECLARED));
        String listen = settings.require("listen");
        TransportAddress address;
        try {
            address = TransportAddress.parse(listen.contains("://") ? listen : "tcp://" + listen, 8080);
        } catch (RuntimeException e) {
            throw new AlknetException(ErrorCode.INVALID_CONFIG, "interface.http.listen must be HOST:PORT, got '" + listen + "'");
        }
        int maxBody = settings.integer("max-body", 1 << 20);
        for (String proxy : settings.list("trusted-proxies")) {
            try {
                java.net.InetAddress.ofLiteral(proxy);
            } catch (IllegalArgumentException e) {
                throw new AlknetException(ErrorCode.INVALID_CONFIG, "interface.http.trusted-proxies takes IP addresses, got '" + proxy + "'");
            }
        }
        return new HttpInterface(address.host(), address.port(), maxBody, Set.copyOf(settings.list("trusted-proxies")));
    }
}
