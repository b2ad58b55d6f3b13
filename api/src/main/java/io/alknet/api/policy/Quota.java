package io.alknet.api.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one identity may use at once and per day; {@code 0} means no limit. Written the same way wherever an
 * operator sets it (a policy file's {@code quota} line, an authorized key's {@code quota="…"} option):
 *
 * <pre>
 * sessions=2,channels=16,bytes-per-day=20GB,rate=10MB/s
 * rate-up=1MiB/s rate-down=50MB/s
 * </pre>
 *
 * Sizes are bytes with an optional unit: {@code kB MB GB TB} (powers of 1000) or {@code KiB MiB GiB TiB} (powers of
 * 1024); rates may end in {@code /s}. {@code rate} sets both directions. "Up" is what the identity sends (towards a
 * forward's target), "down" what it receives.
 *
 * @param sessions           concurrent sessions (logins) of the identity
 * @param channels           concurrent forwarded connections of the identity, over all its sessions
 * @param bytesPerDay        bytes up and down per UTC day
 * @param upBytesPerSecond   bandwidth from the identity, shared by all its channels
 * @param downBytesPerSecond bandwidth to the identity, shared by all its channels
 */
public record Quota(int sessions, int channels, long bytesPerDay, long upBytesPerSecond, long downBytesPerSecond) {

    /** No limit of any kind. */
    public static final Quota NONE = new Quota(0, 0, 0, 0, 0);

    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kKMGT]i?B|B)?");

    public Quota {
        if (sessions < 0 || channels < 0 || bytesPerDay < 0 || upBytesPerSecond < 0 || downBytesPerSecond < 0) {
            throw new IllegalArgumentException("quota limits must not be negative");
        }
    }

    /** True when nothing is limited. */
    public boolean isNone() {
        return equals(NONE);
    }

    /** The stricter of each limit of this and {@code other} (a limit beats no limit). */
    public Quota tighter(Quota other) {
        return new Quota((int) min(sessions, other.sessions), (int) min(channels, other.channels),
                min(bytesPerDay, other.bytesPerDay), min(upBytesPerSecond, other.upBytesPerSecond),
                min(downBytesPerSecond, other.downBytesPerSecond));
    }

    private static long min(long a, long b) {
        return a == 0 ? b : b == 0 ? a : Math.min(a, b);
    }

    /**
     * Reads {@code key=value} pairs separated by commas or white space.
     *
     * @throws IllegalArgumentException naming the pair that is wrong and what is expected
     */
    public static Quota parse(String text) {
        Quota quota = NONE;
        for (String pair : text.strip().split("[,\\s]+")) {
            if (pair.isEmpty()) {
                continue;
            }
            quota = quota.with(pair);
        }
        return quota;
    }

    /** This quota with one more {@code key=value} limit. */
    public Quota with(String pair) {
        int eq = pair.indexOf('=');
        if (eq <= 0 || eq == pair.length() - 1) {
            throw new IllegalArgumentException("expected key=value in a quota, found '" + pair + "'");
        }
        String key = pair.substring(0, eq).toLowerCase(Locale.ROOT);
        String value = pair.substring(eq + 1);
        return switch (key) {
            case "sessions" -> new Quota(count(key, value), channels, bytesPerDay, upBytesPerSecond, downBytesPerSecond);
            case "channels" -> new Quota(sessions, count(key, value), bytesPerDay, upBytesPerSecond, downBytesPerSecond);
            case "bytes-per-day" -> new Quota(sessions, channels, size(key, value), upBytesPerSecond, downBytesPerSecond);
            case "rate" -> new Quota(sessions, channels, bytesPerDay, rate(key, value), rate(key, value));
            case "rate-up" -> new Quota(sessions, channels, bytesPerDay, rate(key, value), downBytesPerSecond);
            case "rate-down" -> new Quota(sessions, channels, bytesPerDay, upBytesPerSecond, rate(key, value));
            default -> throw new IllegalArgumentException("unknown quota '" + key
                    + "'; known: sessions, channels, bytes-per-day, rate, rate-up, rate-down");
        };
    }

    /** True when {@code key} names a quota limit ({@code sessions}, {@code rate}, …). */
    public static boolean isKey(String key) {
        return List.of("sessions", "channels", "bytes-per-day", "rate", "rate-up", "rate-down").contains(key.toLowerCase(Locale.ROOT));
    }

    private static int count(String key, String value) {
        try {
            int count = Integer.parseInt(value);
            if (count > 0) {
                return count;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException(key + " must be a whole number above 0, found '" + value + "'");
    }

    private static long rate(String key, String value) {
        String size = value.endsWith("/s") ? value.substring(0, value.length() - 2) : value;
        return size(key, size);
    }

    private static long size(String key, String value) {
        Matcher matcher = SIZE.matcher(value);
        if (!matcher.matches()) {
            throw new IllegalArgumentException(key + " must be a size such as 500MB, 10MiB or 20GB, found '" + value + "'");
        }
        String unit = matcher.group(2) == null ? "b" : matcher.group(2).toLowerCase(Locale.ROOT);
        long scale = switch (unit) {
            case "b" -> 1L;
            case "kb" -> 1_000L;
            case "mb" -> 1_000_000L;
            case "gb" -> 1_000_000_000L;
            case "tb" -> 1_000_000_000_000L;
            case "kib" -> 1L << 10;
            case "mib" -> 1L << 20;
            case "gib" -> 1L << 30;
            case "tib" -> 1L << 40;
            default -> throw new IllegalArgumentException(key + ": unknown unit '" + matcher.group(2)
                    + "'; use B, kB, MB, GB, TB, KiB, MiB, GiB or TiB");
        };
        double bytes = Double.parseDouble(matcher.group(1)) * scale;
        if (bytes < 1) {
            throw new IllegalArgumentException(key + " must be at least 1 byte, found '" + value + "'");
        }
        if (bytes > 1L << 60) {
            throw new IllegalArgumentException(key + " is too large (at most 1 EiB), found '" + value + "'");
        }
        return (long) bytes;
    }

    /** The limits as they are written ({@code channels=4,rate-up=10000000,rate-down=10000000}), or {@code none}. */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        if (sessions > 0) {
            parts.add("sessions=" + sessions);
        }
        if (channels > 0) {
            parts.add("channels=" + channels);
        }
        if (bytesPerDay > 0) {
            parts.add("bytes-per-day=" + bytesPerDay);
        }
        if (upBytesPerSecond > 0) {
            parts.add("rate-up=" + upBytesPerSecond + "/s");
        }
        if (downBytesPerSecond > 0) {
            parts.add("rate-down=" + downBytesPerSecond + "/s");
        }
        return parts.isEmpty() ? "none" : String.join(",", parts);
    }
}
