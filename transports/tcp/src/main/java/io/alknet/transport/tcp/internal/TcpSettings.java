package io.alknet.transport.tcp.internal;

import io.alknet.api.plugin.Settings;

import java.time.Duration;
import java.util.Set;

/**
 * Settings of the tcp transport ({@code transport.tcp.*}).
 *
 * @param connectTimeout how long a dial may take ({@code connect-timeout}, default 10s)
 * @param backlog        listen backlog ({@code backlog}, default 1024)
 * @param proxy          dial through this proxy ({@code proxy}: {@code socks5://HOST:PORT} or {@code http://HOST:PORT});
 *                       on a server that is every forward target (spec: server {@code --proxy})
 */
record TcpSettings(Duration connectTimeout, int backlog, java.util.Optional<io.alknet.netty.Proxies.Proxy> proxy) {

    static final Set<String> KEYS = Set.of("connect-timeout", "backlog", "proxy");

    static TcpSettings from(Settings settings) {
        settings.requireOnly(KEYS);
        return new TcpSettings(settings.duration("connect-timeout", Duration.ofSeconds(10)), settings.integer("backlog", 1024),
                io.alknet.netty.Proxies.parse(settings.get("proxy")));
    }
}
