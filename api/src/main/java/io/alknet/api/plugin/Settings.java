package io.alknet.api.plugin;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The string settings of one component, already stripped of its prefix (for
 * {@code transport.tcp.connect-timeout} the key here is {@code connect-timeout}). Components turn them
 * into a typed record at creation and refuse unknown keys with {@link #requireOnly(Set)}.
 *
 * <p>Immutable and thread-safe. {@link #toString()} masks the values of keys marked secret.
 *
 * @param prefix  the full prefix, e.g. {@code transport.tcp.}, used in error messages
 * @param values  the settings
 * @param secrets keys whose values must never be printed
 */
public record Settings(String prefix, Map<String, String> values, Set<String> secrets) {

    private static final String MASK = "***";
    private static final Set<String> SECRET_WORDS = Set.of("password", "passphrase", "passwd", "secret", "credential",
            "credentials", "apikey");
    private static final Pattern URL_PASSWORD = Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*://[^/@:\\s]*):[^/@\\s]*@");

    public Settings {
        Objects.requireNonNull(prefix, "prefix");
        values = Collections.unmodifiableMap(new TreeMap<>(values));
        secrets = Set.copyOf(secrets);
    }

    public static Settings empty(String prefix) {
        return new Settings(prefix, Map.of(), Set.of());
    }

    /** Settings whose secrets are the keys {@link #isSecretKey} recognises. */
    public static Settings of(String prefix, Map<String, String> values) {
        Set<String> secrets = new HashSet<>();
        values.keySet().stream().filter(Settings::isSecretKey).forEach(secrets::add);
        return new Settings(prefix, values, secrets);
    }

    /**
     * True if a setting named {@code key} (a full key such as {@code frontend.socks5.password}, or its last
     * part) holds a secret by its name: a password, passphrase, secret, credential, API key or token.
     */
    public static boolean isSecretKey(String key) {
        String name = key.substring(key.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        for (String word : name.split("[-_]")) {
            if (SECRET_WORDS.contains(word)) {
                return true;
            }
        }
        return name.contains("api-key") || name.contains("api_key") || name.equals("token") || name.endsWith("-token");
    }

    /**
     * {@code values} fit to print: the value of every {@link #isSecretKey secret key} is {@code ***}, and so is
     * the password of any {@code scheme://user:password@host} in another value.
     */
    public static Map<String, String> masked(Map<String, String> values) {
        Map<String, String> shown = new TreeMap<>();
        values.forEach((key, value) -> shown.put(key, isSecretKey(key) ? MASK : URL_PASSWORD.matcher(value).replaceAll("$1:" + MASK + "@")));
        return Collections.unmodifiableMap(shown);
    }

    /**
     * Refuses keys outside {@code known}.
     *
     * @throws AlknetException {@code INVALID_CONFIG} naming the first unknown key and the known ones
     */
    public Settings requireOnly(Set<String> known) {
        for (String key : values.keySet()) {
            if (!known.contains(key)) {
                throw new AlknetException(ErrorCode.INVALID_CONFIG, "unknown setting '" + prefix + key
                        + "'; known settings: " + (known.isEmpty() ? "none" : String.join(", ", new TreeSet<>(known))));
            }
        }
        return this;
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key)).filter(v -> !v.isBlank());
    }

    public String require(String key) {
        return get(key).orElseThrow(() -> new AlknetException(ErrorCode.INVALID_CONFIG,
                "missing setting '" + prefix + key + "'"));
    }

    public Optional<Path> path(String key) {
        return get(key).map(Path::of);
    }

    public int integer(String key, int defaultValue) {
        return get(key).map(v -> parse(key, v, Integer::parseInt, "an integer")).orElse(defaultValue);
    }

    public boolean bool(String key, boolean defaultValue) {
        return get(key).map(v -> switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw bad(key, v, "true or false");
        }).orElse(defaultValue);
    }

    /** A duration such as {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d}, {@code 500ms}, or ISO-8601. */
    public Duration duration(String key, Duration defaultValue) {
        return get(key).map(v -> parseDuration(key, v.trim())).orElse(defaultValue);
    }

    /** A comma-separated list; empty when absent. */
    public List<String> list(String key) {
        return get(key).map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList())
                .orElse(List.of());
    }

    private Duration parseDuration(String key, String value) {
        try {
            if (value.startsWith("P") || value.startsWith("p")) {
                return Duration.parse(value);
            }
            if (value.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
            }
            long amount = Long.parseLong(value.substring(0, value.length() - 1));
            return switch (value.charAt(value.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                case 'd' -> Duration.ofDays(amount);
                default -> throw bad(key, value, "a duration like 30s, 5m, 2h or 1d");
            };
        } catch (RuntimeException e) {
            if (e instanceof AlknetException alknet) {
                throw alknet;
            }
            throw bad(key, value, "a duration like 30s, 5m, 2h or 1d");
        }
    }

    private <T> T parse(String key, String value, java.util.function.Function<String, T> parser, String expected) {
        try {
            return parser.apply(value.trim());
        } catch (RuntimeException e) {
            throw bad(key, value, expected);
        }
    }

    private AlknetException bad(String key, String value, String expected) {
        String shown = secrets.contains(key) ? "***" : "'" + value + "'";
        return new AlknetException(ErrorCode.INVALID_CONFIG,
                "setting '" + prefix + key + "' is " + shown + "; expected " + expected);
    }

    @Override
    public String toString() {
        Map<String, String> shown = new TreeMap<>();
        masked(values).forEach((k, v) -> shown.put(k, secrets.contains(k) ? MASK : v));
        return "Settings[" + prefix + shown + "]";
    }
}
