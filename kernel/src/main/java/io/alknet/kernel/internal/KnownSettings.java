package io.alknet.kernel.internal;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.api.plugin.SettingSpec;
import io.alknet.api.plugin.Settings;
import io.alknet.kernel.ExtensionKind;
import io.alknet.kernel.KernelSettings;
import io.alknet.kernel.PluginCatalog;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Every setting key that means something here: the kernel's own and those the components of the loaded plugins
 * declare, by prefix ({@code transport.tcp.}). A key outside them is refused before anything starts, naming the
 * closest valid key, and a declared value that does not read as its type is refused too; a secret's value is never
 * repeated. Keys under a component that declares nothing (a plugin written before declarations) pass, and the
 * component checks them itself.
 */
final class KnownSettings {

    /**
     * The settings under one prefix.
     *
     * @param prefix   e.g. {@code transport.tcp.}
     * @param owner    for messages: "transport 'tcp' (plugin tcp)"
     * @param declared the declarations; empty when the component declares none
     */
    record Scope(String prefix, String owner, Optional<List<SettingSpec>> declared) {
    }

    private final List<Scope> scopes;

    private KnownSettings(List<Scope> scopes) {
        this.scopes = List.copyOf(scopes);
    }

    static KnownSettings of(PluginCatalog catalog) {
        List<Scope> scopes = new ArrayList<>();
        KernelSettings.DECLARED.forEach((prefix, declared) -> scopes.add(new Scope(prefix, "the kernel", Optional.of(declared))));
        for (ExtensionKind<?> kind : ExtensionKind.ALL) {
            catalog.contributions().get(kind).forEach((name, contribution) -> scopes.add(new Scope(kind.settingsPrefix(name),
                    kind.label() + " '" + name + "' (plugin " + contribution.plugin().name() + ")", contribution.settings())));
        }
        return new KnownSettings(scopes);
    }

    /** The declared secrets under {@code prefix}, by their name under it. */
    Set<String> secrets(String prefix) {
        return scopes.stream().filter(scope -> scope.prefix().equals(prefix)).findFirst()
                .flatMap(Scope::declared).map(SettingSpec::secretNames).orElse(Set.of());
    }

    /**
     * Refuses an unknown key or a value that does not read as its declared type.
     *
     * @throws AlknetException {@code INVALID_CONFIG}: "unknown setting 'transport.tpc.x'; did you mean 'transport.tcp.proxy'?"
     */
    void check(Map<String, String> settings) {
        for (Map.Entry<String, String> entry : new TreeMap<>(settings).entrySet()) {
            String key = entry.getKey();
            Optional<Scope> scope = scopeOf(key);
            if (scope.isPresent() && scope.get().declared().isEmpty()) {
                continue;
            }
            Optional<SettingSpec> declared = scope.flatMap(s -> s.declared().flatMap(all -> all.stream()
                    .filter(setting -> setting.name().equals(key.substring(s.prefix().length()))).findFirst()));
            if (declared.isEmpty()) {
                throw unknown(key, scope);
            }
            checkType(key, entry.getValue(), declared.get());
        }
    }

    private Optional<Scope> scopeOf(String key) {
        return scopes.stream().filter(scope -> key.startsWith(scope.prefix()))
                .max(Comparator.comparingInt(scope -> scope.prefix().length()));
    }

    private AlknetException unknown(String key, Optional<Scope> scope) {
        Scope nearest = scope.orElseGet(() -> nearestScope(key));
        String rest = key.substring(Math.min(key.length(), segments(key, segmentCount(nearest.prefix()))));
        List<String> names = nearest.declared().orElse(List.of()).stream().map(SettingSpec::name).toList();
        String suggestion;
        if (nearest.declared().isEmpty()) {
            suggestion = nearest.prefix() + rest;
        } else if (names.isEmpty()) {
            suggestion = closest(key, allKeys());
        } else {
            suggestion = nearest.prefix() + closest(rest, names);
        }
        StringBuilder message = new StringBuilder("unknown setting '").append(key).append("'; did you mean '")
                .append(suggestion).append("'?");
        if (scope.isEmpty()) {
            message.append(" Nothing installed reads settings under '").append(prefixOf(key)).append("'.");
        }
        if (!names.isEmpty()) {
            message.append(" Settings of ").append(nearest.owner()).append(": ").append(String.join(", ", names.stream().sorted().toList()))
                    .append(" ('alknet plugins --settings' lists them all).");
        }
        return new AlknetException(ErrorCode.INVALID_CONFIG, message.toString());
    }

    /** The scope whose prefix is nearest to the same number of leading parts of {@code key}. */
    private Scope nearestScope(String key) {
        Scope best = scopes.getFirst();
        int bestDistance = Integer.MAX_VALUE;
        for (Scope scope : scopes) {
            int parts = segmentCount(scope.prefix());
            String head = key.substring(0, segments(key, parts));
            int distance = distance(head, scope.prefix());
            if (distance < bestDistance) {
                best = scope;
                bestDistance = distance;
            }
        }
        return best;
    }

    private List<String> allKeys() {
        List<String> keys = new ArrayList<>();
        scopes.forEach(scope -> scope.declared().ifPresent(all -> all.forEach(setting -> keys.add(scope.prefix() + setting.name()))));
        return keys;
    }

    private static String prefixOf(String key) {
        int last = key.lastIndexOf('.');
        return last < 0 ? key : key.substring(0, last + 1);
    }

    private static int segmentCount(String prefix) {
        return (int) prefix.chars().filter(c -> c == '.').count();
    }

    /** The length of the first {@code parts} dot-terminated parts of {@code key} (all of it if it has fewer). */
    private static int segments(String key, int parts) {
        int at = 0;
        for (int i = 0; i < parts; i++) {
            int dot = key.indexOf('.', at);
            if (dot < 0) {
                return key.length();
            }
            at = dot + 1;
        }
        return at;
    }

    /** The candidate nearest to {@code text} by edit distance (adjacent transpositions count once); the first on a tie. */
    static String closest(String text, List<String> candidates) {
        String best = candidates.getFirst();
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int distance = distance(text, candidate);
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best;
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions and adjacent transpositions. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    private static void checkType(String key, String value, SettingSpec setting) {
        String text = value.strip();
        if (text.isEmpty()) {
            return;
        }
        String expected = switch (setting.type()) {
            case INTEGER -> isWholeNumber(text) ? null : "a whole number";
            case BOOLEAN -> Set.of("true", "false", "yes", "no", "on", "off").contains(text.toLowerCase(Locale.ROOT)) ? null : "true or false";
            case DURATION -> isDuration(text) ? null : "a duration like 30s, 5m, 2h or 1d";
            case STRING, PATH, PATHS, LIST -> null;
        };
        if (expected != null) {
            String shown = setting.secret() ? "***" : "'" + value + "'";
            throw new AlknetException(ErrorCode.INVALID_CONFIG, "setting '" + key + "' is " + shown + "; expected " + expected);
        }
    }

    private static boolean isWholeNumber(String text) {
        try {
            Long.parseLong(text);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean isDuration(String text) {
        try {
            Settings.of("", Map.of("v", text)).duration("v", Duration.ZERO);
            return true;
        } catch (AlknetException e) {
            return false;
        }
    }
}
