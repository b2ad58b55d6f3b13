package io.alknet.interfaces.ssh.internal;

import io.alknet.api.plugin.SettingSpec;
import io.alknet.api.plugin.Settings;
import io.alknet.interfaces.ssh.internal.Algorithms;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

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
 * @param windowSize       SSH channel window in bytes ({@code window-size}, default 2 MiB): where each channel's receive
 *                         window starts
 * @param windowMax        the largest a channel's receive window grows to over a long path ({@code window-max}, default
 *                         16 MiB; at most {@code window-size}: fixed windows)
 * @param windowBudget     what the channels of one session may grow their windows by together ({@code window-budget},
 *                         default 32 MiB)
 * @param packetSize       maximum SSH packet payload ({@code packet-size}, default 32 KiB)
 * @param rekeyBytes       re-key after this many bytes ({@code rekey-limit}, default 1 GiB, as MINA and OpenSSH)
 */
public record SshSettings(
        Optional<Path> hostKey, List<String> ciphers, int maxAuthAttempts, Duration authTimeout,
        Duration idleTimeout, Duration keepAlive, int keepAliveMax, GatewayPorts gatewayPorts, long windowSize, long windowMax,
        long windowBudget, long packetSize, long rekeyBytes) {

    static final List<SettingSpec> DECLARED = List.of(
            SettingSpec.path("host-key", "Host key (OpenSSH private key). Default: generated once into the state directory.")
                    .withFlag("--host-key", "--key").inFile("server.host_key"),
            SettingSpec.list("ciphers", "SSH cipher preference, like ssh -c (default: aes128-gcm, aes256-gcm, "
                            + "chacha20-poly1305, aes128-ctr, aes256-ctr).")
                    .withFlag("--cipher").withLabel("NAME").inFile("server.ciphers"),
            SettingSpec.integer("max-auth-attempts", 10, "Failed authentications per connection before the SSH layer "
                    + "disconnects (0 = unlimited); alknet serve sets it from --max-auth-attempts."),
            SettingSpec.duration("auth-timeout", "30s", "Time a connection has to authenticate."),
            SettingSpec.duration("idle-timeout", "0s", "Close sessions idle this long (0 = never)."),
            SettingSpec.duration("keepalive", "15s", "Client keepalive interval (0 = off)."),
            SettingSpec.integer("keepalive-max", 3, "Unanswered keepalives before the client drops the session."),
            SettingSpec.string("gateway-ports", "Where remote forwards (-R) listen, as OpenSSH's GatewayPorts: no (default) "
                            + "loopback only, whatever the client asks; yes (or the bare flag) every interface; clientspecified the "
                            + "address the client names. The policy still decides, and ports below 1024 need a policy rule that names them.")
                    .withDefault("no").withFlag("--gateway-ports").withLabel("no|yes|clientspecified").withBareValue("yes")
                    .inFile("server.gateway_ports"),
            SettingSpec.integer("window-size", 2 * 1024 * 1024, "SSH channel receive window in bytes, where each channel starts."),
            SettingSpec.integer("window-max", 16 * 1024 * 1024, "The largest a channel's receive window grows to while the "
                    + "path's delay, not the consumer, holds the sender back (at most window-size: fixed windows)."),
            SettingSpec.integer("window-budget", 32 * 1024 * 1024, "What the channels of one session may grow their receive "
                    + "windows by together: bounds what a session can make this side hold when its consumers stall."),
            SettingSpec.integer("packet-size", 32 * 1024, "Maximum SSH packet payload in bytes."),
            SettingSpec.integer("rekey-limit", 1L << 30, "Re-key after this many bytes, as MINA and OpenSSH."));

    public static SshSettings from(Settings settings) {
        settings.requireOnly(SettingSpec.names(DECLARED));
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
                settings.integer("window-max", 16 * 1024 * 1024),
                settings.integer("window-budget", 32 * 1024 * 1024),
                settings.integer("packet-size", 32 * 1024),
                Long.parseLong(settings.get("rekey-limit").orElse(Long.toString(1L << 30))));
    }
}
