package io.alknet.interfaces.ssh.internal;

import io.alknet.api.plugin.Settings;
import io.alknet.interfaces.ssh.internal.Algorithms;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Settings of the ssh interface ({@code interface.ssh.*}).
 *
 * @param hostKey          server host key file ({@code host-key}); generated into the state directory when absent
 * @param ciphers          cipher preference ({@code ciphers}, like {@code ssh -c})
 * @param maxAuthAttempts  failed authentications per connection before disconnect ({@code max-auth-attempts},
 *                         default 10; 0 = unlimited)
 * @param authTimeout      time allowed to authenticate ({@code auth-timeout}, default 30s)
 * @param idleTimeout      close sessions idle this long ({@code idle-timeout}, default 0 = never)
 * @param keepAlive        client keepalive interval ({@code keepalive}, default 15s; 0 = off)
 * @param keepAliveMax     unanswered keepalives before the client drops the session ({@code keepalive-max}, default 3)
 * @param gatewayPorts     where remote forwards listen ({@code gateway-ports}: {@code no}, the default, binds loopback
 *                         whatever the client asks; {@code yes} every interface; {@code clientspecified} as asked)
 * @param windowSize       SSH channel window in bytes ({@code window-size}, default 2 MiB)
 * @param packetSize       maximum SSH packet payload ({@code packet-size}, default 32 KiB)
 * @param rekeyBytes       re-key after this many bytes ({@code rekey-limit}, default 1 GiB, as MINA and OpenSSH)
 */
public record SshSettings(
        Optional<Path> hostKey, List<String> ciphers, int maxAuthAttempts, Duration authTimeout,
        Duration idleTimeout, Duration keepAlive, int keepAliveMax, GatewayPorts gatewayPorts, long windowSize, long packetSize,
        long rekeyBytes) {

    static final Set<String> KEYS = Set.of("host-key", "ciphers", "max-auth-attempts", "auth-timeout", "idle-timeout",
            "keepalive", "keepalive-max", "gateway-ports", "window-size", "packet-size", "rekey-limit");

    public static SshSettings from(Settings settings) {
        settings.requireOnly(KEYS);
        List<String> ciphers = settings.list("ciphers");
        Algorithms.ciphers(ciphers); // validate now: a bad name fails at startup, not at the first session
        return new SshSettings(
                settings.path("host-key"),
                ciphers,
                settings.integer("max-auth-attempts", 10),
                settings.duration("auth-timeout", Duration.ofSeconds(30)),
                settings.duration("idle-timeout", Duration.ZERO),
                settings.duration("keepalive", Duration.ofSeconds(15)),
                settings.integer("keepalive-max", 3),
                settings.get("gateway-ports").map(GatewayPorts::parse).orElse(GatewayPorts.NO),
                settings.integer("window-size", 2 * 1024 * 1024),
                settings.integer("packet-size", 32 * 1024),
                Long.parseLong(settings.get("rekey-limit").orElse(Long.toString(1L << 30))));
    }
}
