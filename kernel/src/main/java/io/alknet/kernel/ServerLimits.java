package io.alknet.kernel;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Abuse resistance per source address, modelled on OpenSSH's {@code MaxStartups} and
 * {@code PerSourcePenalties}. Part of the dynamic configuration: a reload swaps the limits too.
 *
 * @param maxAuthAttempts     failed authentications per connection before it is dropped (0 = unlimited; spec default 10)
 * @param maxConnectionsPerIp concurrent connections per source address (0 = unlimited; spec default 0)
 * @param maxStartups         unauthenticated connections, server-wide, before new ones are dropped at random
 * @param penalties           penalties a source earns for connections that fail to authenticate
 */
public record ServerLimits(int maxAuthAttempts, int maxConnectionsPerIp, MaxStartups maxStartups, Penalties penalties) {

    /** The defaults: spec values for the first two, OpenSSH-style defaults sized for an asynchronous server. */
    public static final ServerLimits DEFAULT = new ServerLimits(10, 0, MaxStartups.DEFAULT, Penalties.DEFAULT);

    public ServerLimits {
        if (maxAuthAttempts < 0 || maxConnectionsPerIp < 0) {
            throw new IllegalArgumentException("limits must not be negative");
        }
        Objects.requireNonNull(maxStartups, "maxStartups");
        Objects.requireNonNull(penalties, "penalties");
    }

    public ServerLimits withMaxAuthAttempts(int attempts) {
        return new ServerLimits(attempts, maxConnectionsPerIp, maxStartups, penalties);
    }

    public ServerLimits withMaxConnectionsPerIp(int connections) {
        return new ServerLimits(maxAuthAttempts, connections, maxStartups, penalties);
    }

    public ServerLimits withMaxStartups(MaxStartups startups) {
        return new ServerLimits(maxAuthAttempts, maxConnectionsPerIp, startups, penalties);
    }

    public ServerLimits withPenalties(Penalties newPenalties) {
        return new ServerLimits(maxAuthAttempts, maxConnectionsPerIp, maxStartups, newPenalties);
    }

    /**
     * OpenSSH's {@code start:rate:full}: with {@code start} or more unauthenticated connections, a new one
     * is dropped with probability {@code rate}%, rising linearly to 100% at {@code full}. {@code start = 0}
     * turns it off.
     */
    public record MaxStartups(int start, int rate, int full) {

        /** OpenSSH's 10:30:100 is sized for a process per connection; alknet holds them far more cheaply. */
        public static final MaxStartups DEFAULT = new MaxStartups(100, 30, 1000);
        public static final MaxStartups OFF = new MaxStartups(0, 0, 0);

        public MaxStartups {
            if (start < 0 || rate < 0 || rate > 100 || (start > 0 && full < start)) {
                throw new IllegalArgumentException("max-startups needs start >= 0, 0 <= rate <= 100 and full >= start");
            }
        }

        /** Parses {@code start[:rate:full]} (or {@code 0}/{@code off}). */
        public static MaxStartups parse(String text) {
            String value = text.strip().toLowerCase(Locale.ROOT);
            if (value.equals("0") || value.equals("off") || value.equals("no")) {
                return OFF;
            }
            String[] parts = value.split(":");
            try {
                if (parts.length == 1) {
                    int start = Integer.parseInt(parts[0]);
                    return new MaxStartups(start, 100, start);
                }
                if (parts.length == 3) {
                    return new MaxStartups(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
                }
            } catch (IllegalArgumentException e) {
                throw new AlknetException(ErrorCode.INVALID_CONFIG, "max-startups '" + text + "': " + e.getMessage()
                        + " (expected START:RATE:FULL such as 100:30:1000, or off)");
            }
            throw new AlknetException(ErrorCode.INVALID_CONFIG, "max-startups '" + text
                    + "' is not START:RATE:FULL such as 100:30:1000, or off");
        }

        public boolean enabled() {
            return start > 0;
        }

        @Override
        public String toString() {
            return enabled() ? start + ":" + rate + ":" + full : "off";
        }
    }

    /**
     * Penalties a source address accrues, as OpenSSH's {@code PerSourcePenalties}: a connection that ended
     * with failed authentications adds {@code authFailure}, one that ended without even trying adds
     * {@code noAuth}. Penalty time runs down in real time; while a source holds at least {@code threshold}
     * of it, its new connections are refused. It never holds more than {@code max}.
     */
    public record Penalties(boolean enabled, Duration authFailure, Duration noAuth, Duration threshold, Duration max) {

        public static final Penalties DEFAULT = new Penalties(true, Duration.ofSeconds(5), Duration.ofSeconds(1),
                Duration.ofSeconds(15), Duration.ofMinutes(10));
        public static final Penalties OFF = new Penalties(false, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO);

        public Penalties {
            Objects.requireNonNull(authFailure, "authFailure");
            Objects.requireNonNull(noAuth, "noAuth");
            Objects.requireNonNull(threshold, "threshold");
            Objects.requireNonNull(max, "max");
            if (enabled && (authFailure.isNegative() || noAuth.isNegative() || threshold.isNegative() || max.compareTo(threshold) < 0)) {
                throw new IllegalArgumentException("penalties must not be negative and max must be at least the threshold");
            }
        }

        /**
         * Parses OpenSSH's syntax: {@code authfail:5s noauth:1s min:15s max:10m} (spaces or commas between
         * fields; missing fields keep their defaults), or {@code no}.
         */
        public static Penalties parse(String text) {
            String value = text.strip().toLowerCase(Locale.ROOT);
            if (value.equals("no") || value.equals("off") || value.equals("0")) {
                return OFF;
            }
            Penalties result = DEFAULT;
            for (String field : value.split("[\\s,]+")) {
                if (field.isEmpty() || field.equals("yes")) {
                    continue;
                }
                int colon = field.indexOf(':');
                if (colon <= 0) {
                    throw invalid(text, "'" + field + "' is not NAME:DURATION");
                }
                Duration duration = Durations.parse(field.substring(colon + 1), () -> invalid(text, "'" + field + "' has no valid duration"));
                result = switch (field.substring(0, colon)) {
                    case "authfail" -> new Penalties(true, duration, result.noAuth, result.threshold, result.max);
                    case "noauth" -> new Penalties(true, result.authFailure, duration, result.threshold, result.max);
                    case "min" -> new Penalties(true, result.authFailure, result.noAuth, duration, result.max);
                    case "max" -> new Penalties(true, result.authFailure, result.noAuth, result.threshold, duration);
                    default -> throw invalid(text, "unknown field '" + field.substring(0, colon) + "' (authfail, noauth, min, max)");
                };
            }
            return result;
        }

        private static AlknetException invalid(String text, String reason) {
            return new AlknetException(ErrorCode.INVALID_CONFIG, "per-source penalties '" + text + "': " + reason);
        }

        @Override
        public String toString() {
            return enabled ? "authfail:" + Durations.format(authFailure) + " noauth:" + Durations.format(noAuth)
                    + " min:" + Durations.format(threshold) + " max:" + Durations.format(max) : "no";
        }
    }

    /** Durations as operators write them ({@code 500ms}, {@code 5s}, {@code 10m}), parsed like every setting. */
    static final class Durations {
        private Durations() {
        }

        static Duration parse(String text, java.util.function.Supplier<AlknetException> invalid) {
            try {
                return io.alknet.api.plugin.Settings.of("", java.util.Map.of("v", text.strip())).duration("v", Duration.ZERO);
            } catch (AlknetException e) {
                throw invalid.get();
            }
        }

        static String format(Duration duration) {
            long millis = duration.toMillis();
            if (millis % 1000 != 0) {
                return millis + "ms";
            }
            long seconds = millis / 1000;
            if (seconds != 0 && seconds % 3600 == 0) {
                return seconds / 3600 + "h";
            }
            if (seconds != 0 && seconds % 60 == 0) {
                return seconds / 60 + "m";
            }
            return seconds + "s";
        }
    }
}
