package io.alknet.metrics.prometheus.internal;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The safety net under {@link io.alknet.api.metrics.Metrics}' rule that tag values come from closed sets: a value that
 * is not a plain word, that looks like an IP address, or that would be past the {@value #MAX_VALUES}th distinct value
 * of its tag becomes {@code other}. So a caller's mistake costs one series, never a destination in the scrape or a
 * series per peer.
 */
final class TagGuard {

    static final String OTHER = "other";
    static final int MAX_VALUES = 256;

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*");
    private static final Pattern KEY = Pattern.compile("[a-z][a-z0-9_]{0,31}");
    /** Words, operation paths ({@code /health/ping}), rule labels ({@code default(policy.rules:1)}). */
    private static final Pattern VALUE = Pattern.compile("[A-Za-z0-9/_][A-Za-z0-9_.:/+()-]{0,63}");
    private static final Pattern IPV4 = Pattern.compile(".*\\d+\\.\\d+\\.\\d+\\.\\d+.*");
    private static final Pattern IPV6 = Pattern.compile(".*[0-9A-Fa-f]*:[0-9A-Fa-f]*:.*");

    /** Values seen per meter name and tag key. */
    private final Map<String, Set<String>> seen = new ConcurrentHashMap<>();

    /** @throws IllegalArgumentException for a malformed name or tag key, or an odd number of tag strings */
    String[] check(String name, String... tags) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("metric names are lower-case words joined by dots, got '" + name + "'");
        }
        if (tags.length % 2 != 0) {
            throw new IllegalArgumentException("tags are key/value pairs, got " + tags.length + " strings for " + name);
        }
        String[] checked = Arrays.copyOf(tags, tags.length);
        for (int i = 0; i < checked.length; i += 2) {
            if (checked[i] == null || !KEY.matcher(checked[i]).matches()) {
                throw new IllegalArgumentException("tag keys are lower-case words, got '" + checked[i] + "' for " + name);
            }
            checked[i + 1] = value(name + "|" + checked[i], checked[i + 1]);
        }
        return checked;
    }

    private String value(String tag, String value) {
        if (value == null || !VALUE.matcher(value).matches() || IPV4.matcher(value).matches() || IPV6.matcher(value).matches()) {
            return OTHER;
        }
        Set<String> values = seen.computeIfAbsent(tag, key -> ConcurrentHashMap.newKeySet());
        if (values.contains(value)) {
            return value;
        }
        synchronized (values) {
            if (values.size() >= MAX_VALUES) {
                return OTHER;
            }
            values.add(value);
        }
        return value;
    }
}
