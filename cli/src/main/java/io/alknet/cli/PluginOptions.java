package io.alknet.cli;

import io.alknet.api.plugin.SettingSpec;
import io.alknet.kernel.ExtensionKind;
import io.alknet.kernel.PluginCatalog;
import picocli.CommandLine.Model.ArgGroupSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code alknet serve} flags the plugins declare ({@link SettingSpec#flag()}), made into picocli options at start,
 * so {@code serve --help} and the flags come from the declarations rather than from this command. One flag may set the
 * settings of several components ({@code --proxy} sets {@code transport.tcp.proxy} and, with an iroh listener,
 * {@code transport.iroh.proxy}). The configuration file's keys ({@link SettingSpec#fileKey()}) come from here too.
 */
final class PluginOptions {

    /**
     * One declared setting of one component.
     *
     * @param kind    the component's kind
     * @param name    the component's name, e.g. {@code tls}
     * @param setting the declaration
     */
    record Declared(ExtensionKind<?> kind, String name, SettingSpec setting) {

        /** The full key, e.g. {@code transport.tls.cert}. */
        String key() {
            return kind.settingsPrefix(name) + setting.name();
        }
    }

    /**
     * A flag and the settings it sets.
     *
     * @param option   the picocli option
     * @param settings the settings it sets, in declaration order
     */
    record Flag(OptionSpec option, List<Declared> settings) {

        /** The value given on the command line, joined with commas for a repeated flag; empty when absent. */
        Optional<String> value() {
            Object value = option.getValue();
            if (value instanceof Boolean on) {
                return on ? Optional.of("true") : Optional.empty();
            }
            if (value instanceof Collection<?> values) {
                return values.isEmpty() ? Optional.empty() : Optional.of(String.join(",", values.stream().map(String::valueOf).toList()));
            }
            return Optional.ofNullable(value).map(String::valueOf);
        }
    }

    private final List<Declared> declared;
    private final Map<String, Flag> flags = new LinkedHashMap<>();

    private PluginOptions(List<Declared> declared) {
        this.declared = List.copyOf(declared);
    }

    /** Every setting the plugins of {@code catalog} declare, by kind (the table's order), then component. */
    static PluginOptions of(PluginCatalog catalog) {
        List<Declared> declared = new ArrayList<>();
        for (ExtensionKind<?> kind : ExtensionKind.ALL) {
            catalog.contributions().get(kind).forEach((name, contribution) -> contribution.settings()
                    .ifPresent(settings -> settings.forEach(setting -> declared.add(new Declared(kind, name, setting)))));
        }
        return new PluginOptions(declared);
    }

    List<Declared> declared() {
        return declared;
    }

    /** The declarations a configuration file may set, by their {@code section.key}. */
    Map<String, List<Declared>> fileKeys() {
        Map<String, List<Declared>> keys = new LinkedHashMap<>();
        declared.forEach(d -> d.setting().fileKey().ifPresent(key -> keys.computeIfAbsent(key, k -> new ArrayList<>()).add(d)));
        return keys;
    }

    /** The flags added to a command by {@link #addTo}. */
    Collection<Flag> flags() {
        return flags.values();
    }

    /** Adds an option for every declared flag to {@code command}, under a heading of their own. */
    void addTo(CommandSpec command) {
        Map<String, List<Declared>> byFlag = new LinkedHashMap<>();
        for (Declared d : declared) {
            d.setting().flag().ifPresent(flag -> byFlag.computeIfAbsent(flag.names().getFirst(), k -> new ArrayList<>()).add(d));
        }
        if (byFlag.isEmpty()) {
            return;
        }
        ArgGroupSpec.Builder group = ArgGroupSpec.builder()
                .heading("%nOptions the plugins declare (any component setting: --set KEY=VALUE; 'alknet plugins --settings' lists them):%n")
                .exclusive(false).multiplicity("0..1").validate(false);
        byFlag.forEach((name, settings) -> {
            OptionSpec option = option(settings);
            flags.put(name, new Flag(option, List.copyOf(settings)));
            group.addArg(option);
        });
        command.addArgGroup(group.build());
    }

    private static OptionSpec option(List<Declared> settings) {
        SettingSpec first = settings.getFirst().setting();
        SettingSpec.Flag flag = first.flag().orElseThrow();
        boolean list = first.type() == SettingSpec.Type.LIST || first.type() == SettingSpec.Type.PATHS;
        OptionSpec.Builder option = OptionSpec.builder(flag.names().toArray(String[]::new))
                .paramLabel(flag.label())
                .description(description(settings));
        if (first.type() == SettingSpec.Type.BOOLEAN && flag.bareValue().equals(Optional.of("true"))) {
            // a switch, as --stealth always was
            option.type(boolean.class).arity("0");
        } else if (list) {
            option.type(List.class).auxiliaryTypes(String.class).splitRegex(",").splitRegexSynopsisLabel(",");
        } else {
            option.type(String.class);
            flag.bareValue().ifPresent(bare -> option.arity("0..1").fallbackValue(bare));
        }
        return option.build();
    }

    /** Each setting's help, the key it sets and its default (never a secret's). */
    private static String description(List<Declared> settings) {
        List<String> parts = new ArrayList<>();
        for (Declared d : settings) {
            String text = d.setting().help().strip();
            StringBuilder part = new StringBuilder(text);
            part.append(text.endsWith(".") ? " " : ". ").append("Sets ").append(d.key());
            d.setting().printableDefault().ifPresent(value -> part.append(" (default: ").append(value).append(")"));
            part.append('.');
            parts.add(part.toString().replace("%", "%%"));
        }
        return String.join(" ", parts);
    }
}
