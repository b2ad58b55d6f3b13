package io.alknet.api.plugin;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One setting a factory reads, declared through {@link ExtensionFactory#settings()} (the shape of Keycloak's
 * {@code ProviderConfigProperty} and Airlift's {@code @Config}): with the declarations the kernel refuses an unknown
 * key before anything starts, naming the closest valid one, masks secrets in every printout, and the CLI offers the
 * setting as an {@code alknet serve} flag and documents it in {@code --help}.
 *
 * <pre>{@code
 * SettingSpec.duration("connect-timeout", "10s", "How long a connection attempt may take.")
 * SettingSpec.path("cert", "PEM certificate chain of tls:// listeners.").withFlag("--tls-cert").inFile("server.tls.cert")
 * SettingSpec.string("password", "The password SOCKS5 clients log in with.").asSecret()
 * }</pre>
 *
 * <p>Immutable; the {@code with…} methods return a copy.
 *
 * @param name         the key under the component's prefix: {@code connect-timeout} for {@code transport.tcp.connect-timeout}
 * @param type         how the value reads
 * @param defaultValue what applies when the setting is absent, as it would be written; empty when nothing does
 * @param secret       true if the value must never be printed (a password, a key, a token)
 * @param help         one or two sentences for {@code --help} and {@code alknet plugins --settings}
 * @param flag         the {@code alknet serve} flag that sets it, if any
 * @param fileKey      where {@code alknet serve --config} files may set it besides {@code [settings]}, as
 *                     {@code section.key} (e.g. {@code server.tls.cert}), if anywhere
 */
public record SettingSpec(String name, Type type, Optional<String> defaultValue, boolean secret, String help,
                          Optional<Flag> flag, Optional<String> fileKey) {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");
    private static final Pattern FLAG = Pattern.compile("--?[a-zA-Z0-9][a-zA-Z0-9-]*");
    private static final Pattern FILE_KEY = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+");

    /** How a value reads. */
    public enum Type {
        /** Any text. */
        STRING,
        /** {@code true}/{@code false} (also {@code yes}/{@code no}, {@code on}/{@code off}). */
        BOOLEAN,
        /** A whole number. */
        INTEGER,
        /** {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d}, or ISO-8601. */
        DURATION,
        /** A file or directory; a configuration file's relative path is resolved against the file's directory. */
        PATH,
        /** Comma-separated files or directories, resolved like {@link #PATH}. */
        PATHS,
        /** Comma-separated values. */
        LIST
    }

    /**
     * An {@code alknet serve} flag.
     *
     * @param names      its spellings, e.g. {@code --host-key} and {@code --key}
     * @param label      what its value looks like in {@code --help}, e.g. {@code FILE} (one element of a list)
     * @param bareValue  the value the flag means when given without one ({@code true} for a {@link Type#BOOLEAN}),
     *                   or empty when a value is required
     */
    public record Flag(List<String> names, String label, Optional<String> bareValue) {
        public Flag {
            names = List.copyOf(names);
            if (names.isEmpty()) {
                throw new IllegalArgumentException("a flag needs a name");
            }
            for (String name : names) {
                if (!FLAG.matcher(name).matches()) {
                    throw new IllegalArgumentException("flag '" + name + "' is not --lower-case-words");
                }
            }
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(bareValue, "bareValue");
        }
    }

    public SettingSpec {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("setting name '" + name + "' is not lower-case words joined by dashes");
        }
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(defaultValue, "defaultValue");
        Objects.requireNonNull(help, "help");
        Objects.requireNonNull(flag, "flag");
        Objects.requireNonNull(fileKey, "fileKey");
        fileKey.ifPresent(key -> {
            if (!FILE_KEY.matcher(key).matches()) {
                throw new IllegalArgumentException("file key '" + key + "' is not section.key in snake_case");
            }
        });
    }

    public static SettingSpec string(String name, String help) {
        return of(name, Type.STRING, help);
    }

    public static SettingSpec bool(String name, boolean defaultValue, String help) {
        return of(name, Type.BOOLEAN, help).withDefault(Boolean.toString(defaultValue));
    }

    public static SettingSpec integer(String name, long defaultValue, String help) {
        return of(name, Type.INTEGER, help).withDefault(Long.toString(defaultValue));
    }

    /** A whole number without a fixed default (the component computes one). */
    public static SettingSpec integer(String name, String help) {
        return of(name, Type.INTEGER, help);
    }

    public static SettingSpec duration(String name, String defaultValue, String help) {
        return of(name, Type.DURATION, help).withDefault(defaultValue);
    }

    public static SettingSpec path(String name, String help) {
        return of(name, Type.PATH, help);
    }

    public static SettingSpec paths(String name, String help) {
        return of(name, Type.PATHS, help);
    }

    public static SettingSpec list(String name, String help) {
        return of(name, Type.LIST, help);
    }

    private static SettingSpec of(String name, Type type, String help) {
        return new SettingSpec(name, type, Optional.empty(), false, help, Optional.empty(), Optional.empty());
    }

    /** The same setting with {@code value} as its default. */
    public SettingSpec withDefault(String value) {
        return new SettingSpec(name, type, Optional.of(value), secret, help, flag, fileKey);
    }

    /** The same setting, marked secret: its value (and default) is never printed. */
    public SettingSpec asSecret() {
        return new SettingSpec(name, type, defaultValue, true, help, flag, fileKey);
    }

    /**
     * The same setting, offered as {@code alknet serve} flag {@code names} (the first is the main spelling), with a
     * label that fits its type ({@code FILE}, {@code DURATION}, {@code N}, …).
     */
    public SettingSpec withFlag(String... names) {
        Optional<String> bare = type == Type.BOOLEAN ? Optional.of("true") : Optional.empty();
        return new SettingSpec(name, type, defaultValue, secret, help, Optional.of(new Flag(List.of(names), defaultLabel(), bare)), fileKey);
    }

    /** The same setting with its flag's value shown as {@code label} in {@code --help}, e.g. {@code HOST:PORT}. */
    public SettingSpec withLabel(String label) {
        Flag current = flag.orElseThrow(() -> new IllegalStateException("declare the flag of '" + name + "' before its label"));
        return new SettingSpec(name, type, defaultValue, secret, help, Optional.of(new Flag(current.names(), label, current.bareValue())), fileKey);
    }

    /** The same setting, whose flag given without a value means {@code value} (say {@code --gateway-ports} alone: {@code yes}). */
    public SettingSpec withBareValue(String value) {
        Flag current = flag.orElseThrow(() -> new IllegalStateException("declare the flag of '" + name + "' before its bare value"));
        return new SettingSpec(name, type, defaultValue, secret, help, Optional.of(new Flag(current.names(), current.label(), Optional.of(value))), fileKey);
    }

    /** The same setting, which configuration files may also set as {@code section.key}, e.g. {@code server.tls.cert}. */
    public SettingSpec inFile(String key) {
        return new SettingSpec(name, type, defaultValue, secret, help, flag, Optional.of(key));
    }

    private String defaultLabel() {
        return switch (type) {
            case STRING -> "VALUE";
            case BOOLEAN -> "true|false";
            case INTEGER -> "N";
            case DURATION -> "DURATION";
            case PATH -> "FILE";
            case PATHS -> "FILE";
            case LIST -> "VALUE";
        };
    }

    /** The names of {@code declared}, for {@link Settings#requireOnly(Set)}. */
    public static Set<String> names(Collection<SettingSpec> declared) {
        Set<String> names = new LinkedHashSet<>();
        declared.forEach(setting -> names.add(setting.name()));
        return Set.copyOf(names);
    }

    /** The names of the secret ones among {@code declared}. */
    public static Set<String> secretNames(Collection<SettingSpec> declared) {
        List<String> names = new ArrayList<>();
        declared.stream().filter(SettingSpec::secret).forEach(setting -> names.add(setting.name()));
        return Set.copyOf(names);
    }

    /** The default as {@code --help} may show it: never a secret's. */
    public Optional<String> printableDefault() {
        return secret ? Optional.empty() : defaultValue;
    }

    /** A secret's default shows as {@code ***}. */
    @Override
    public String toString() {
        return "SettingSpec[name=" + name + ", type=" + type + ", defaultValue="
                + (secret ? defaultValue.map(value -> "***") : defaultValue) + ", secret=" + secret + ", help=" + help
                + ", flag=" + flag + ", fileKey=" + fileKey + "]";
    }
}
