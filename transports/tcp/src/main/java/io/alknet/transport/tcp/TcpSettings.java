package io.alknet.transport.tcp;

import io.alknet.api.plugin.Settings;

import java.time.Duration;
import java.util.Set;

/**
 * Settings of the tcp transport ({@code transport.tcp.*}).
 *
 * @param connectTimeout how long a dial may take ({@code connect-timeout}, default 10s)
 * @param backlog        listen backlog ({@code backlog}, default 1024)
 */
record TcpSettings(Duration connectTimeout, int backlog) {

    static final Set<String> KEYS = Set.of("connect-timeout", "backlog");

    static TcpSettings from(Settings settings) {
        settings.requireOnly(KEYS);
        return new TcpSettings(settings.duration("connect-timeout", Duration.ofSeconds(10)), settings.integer("backlog", 1024));
    }
}
