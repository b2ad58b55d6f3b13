package io.alknet.transport.iroh.internal;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.api.plugin.SettingSpec;
import io.alknet.api.plugin.Settings;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Settings of the iroh transport ({@code transport.iroh.*}).
 *
 * @param relay          {@code default} (n0's public relays and address lookup), {@code none} (direct addresses only:
 *                       LANs, tests) or a relay URL ({@code relay}; CLI {@code --iroh-relay})
 * @param proxy          send the endpoint's outbound relay traffic through this proxy ({@code proxy}:
 *                       {@code socks5://HOST:PORT} or {@code http://HOST:PORT}; CLI {@code --proxy})
 * @param secretKey      where the endpoint's secret key is kept ({@code secret-key}; default
 *                       {@code STATE_DIR/iroh_secret_key}), or {@code ephemeral} for a fresh key per start
 * @param connectTimeout how long a dial may take ({@code connect-timeout}, default 15s)
 * @param threads        the endpoint's runtime threads ({@code threads}; default: half the cores, 1 to 4, leaving the
 *                       rest to the SSH layer: on 2 cores one thread carries more than two, docs/benchmarks.md)
 * @param idleTimeout    how long a silent peer keeps its connection before it counts as gone ({@code idle-timeout},
 *                       default 30s; iroh sends keep-alives every 5s)
 */
record IrohSettings(String relay, Optional<String> proxy, Optional<String> secretKey, Duration connectTimeout, int threads,
                    Duration idleTimeout) {

    static final List<SettingSpec> DECLARED = List.of(
            SettingSpec.string("relay", "For iroh listeners: the relay to register with instead of n0's public relays "
                            + "('default'), or 'none' for direct addresses only (LANs, tests), e.g. --iroh-relay none.")
                    .withDefault("default").withFlag("--iroh-relay").withLabel("URL|none").inFile("server.iroh.relay"),
            SettingSpec.string("proxy", "Send the endpoint's relay traffic through this proxy (socks5://HOST:PORT or "
                            + "http://HOST:PORT); serve --proxy sets it when there is an iroh listener.")
                    .withFlag("--proxy").withLabel("URL").inFile("server.proxy"),
            SettingSpec.string("secret-key", "Where the endpoint's secret key is kept (default STATE_DIR/iroh_secret_key), "
                    + "or 'ephemeral' for a fresh key per start."),
            SettingSpec.duration("connect-timeout", "15s", "How long a dial may take."),
            SettingSpec.integer("threads", "The endpoint's runtime threads, 1 to 64 (default: half the cores, 1 to 4)."),
            SettingSpec.duration("idle-timeout", "30s", "How long a silent peer keeps its connection before it counts as gone "
                    + "(at least 1s)."));

    static final String RELAY_DEFAULT = "default";
    static final String RELAY_NONE = "none";

    static IrohSettings from(Settings settings) {
        settings.requireOnly(SettingSpec.names(DECLARED));
        String relay = settings.get("relay").map(String::strip).orElse(RELAY_DEFAULT);
        String lower = relay.toLowerCase(Locale.ROOT);
        if (lower.equals("disabled") || lower.equals("off")) {
            relay = RELAY_NONE;
        } else if (!lower.equals(RELAY_DEFAULT) && !lower.equals(RELAY_NONE)) {
            requireUrl(relay, "transport.iroh.relay (--iroh-relay)", Set.of("http", "https"),
                    "expected 'default', 'none' or a relay URL such as https://relay.example.com/");
        } else {
            relay = lower;
        }
        Optional<String> proxy = settings.get("proxy").map(String::strip);
        proxy.ifPresent(p -> requireUrl(p, "transport.iroh.proxy", Set.of("socks5", "socks5h", "http", "https"),
                "expected socks5://HOST:PORT or http://HOST:PORT"));
        int threads = settings.integer("threads", defaultThreads());
        if (threads < 1 || threads > 64) {
            throw new AlknetException(ErrorCode.INVALID_CONFIG, "transport.iroh.threads must be 1-64, not " + threads);
        }
        Duration idleTimeout = settings.duration("idle-timeout", Duration.ofSeconds(30));
        if (idleTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new AlknetException(ErrorCode.INVALID_CONFIG, "transport.iroh.idle-timeout must be at least 1s (keep-alives go every 5s)");
        }
        Duration connectTimeout = settings.duration("connect-timeout", Duration.ofSeconds(15));
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new AlknetException(ErrorCode.INVALID_CONFIG, "transport.iroh.connect-timeout must be positive, e.g. 15s; got "
                    + connectTimeout);
        }
        return new IrohSettings(relay, proxy, settings.get("secret-key"), connectTimeout, threads, idleTimeout);
    }

    private static void requireUrl(String value, String key, Set<String> schemes, String hint) {
        try {
            URI uri = new URI(value);
            if (uri.getScheme() == null || !schemes.contains(uri.getScheme().toLowerCase(Locale.ROOT)) || uri.getHost() == null) {
                throw new AlknetException(ErrorCode.INVALID_CONFIG, key + " '" + value + "' is not valid: " + hint);
            }
        } catch (java.net.URISyntaxException e) {
            throw new AlknetException(ErrorCode.INVALID_CONFIG, key + " '" + value + "' is not valid: " + hint);
        }
    }

    static int defaultThreads() {
        return Math.clamp(Runtime.getRuntime().availableProcessors() / 2, 1, 4);
    }

    /** The library's relay mode: 0 default, 1 disabled, 2 custom. */
    int relayMode() {
        return switch (relay) {
            case RELAY_DEFAULT -> 0;
            case RELAY_NONE -> 1;
            default -> 2;
        };
    }
}
