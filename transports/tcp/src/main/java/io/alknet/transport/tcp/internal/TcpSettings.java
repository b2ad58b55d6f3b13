package io.alknet.transport.tcp.internal;

import io.alknet.api.plugin.SettingSpec;
import io.alknet.api.plugin.Settings;

import java.time.Duration;
import java.util.List;

/**
 * Settings of the tcp transport ({@code transport.tcp.*}).
 *
 * @param connectTimeout how long a dial may take ({@code connect-timeout}, default 10s)
 * @param backlog        listen backlog ({@code backlog}, default 1024)
 * @param proxy          dial through this proxy ({@code proxy}: {@code socks5://HOST:PORT} or {@code http://HOST:PORT});
 *                       on a server that is every forward target (spec: server {@code --proxy})
 */
record TcpSettings(Duration connectTimeout, int backlog, java.util.Optional<io.alknet.netty.Proxies.Proxy> proxy) {

    static final List<SettingSpec> DECLARED = List.of(
            SettingSpec.duration("connect-timeout", "10s", "How long a dial may take."),
            SettingSpec.integer("backlog", 1024, "Connections the kernel queues for a listener before refusing more."),
            SettingSpec.string("proxy", "Dial every forward target through this proxy (socks5://HOST:PORT or http://HOST:PORT "
                            + "for HTTP CONNECT), e.g. --proxy socks5://127.0.0.1:9050 to leave through Tor. Names are resolved "
                            + "by the proxy; the policy decides on the name.")
                    .withFlag("--proxy").withLabel("URL").inFile("server.proxy"));

    static TcpSettings from(Settings settings) {
        settings.requireOnly(SettingSpec.names(DECLARED));
        return new TcpSettings(settings.duration("connect-timeout", Duration.ofSeconds(10)), settings.integer("backlog", 1024),
                io.alknet.netty.Proxies.parse(settings.get("proxy")));
    }
}
