package io.alknet.cli;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.api.plugin.SettingSpec;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.toml.TomlMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * {@code alknet serve --config FILE}: the server's settings as TOML. Command-line flags override the file. Relative
 * paths are relative to the file's directory. Unknown keys and wrong types are errors naming the section, the key and
 * its line, so a typo is never silently ignored. See {@code docs/configuration.md}.
 *
 * <p>The command's own keys are fixed ({@code [server]} listen, transport, grace, raw_listen; {@code [limits]}; the
 * free {@code [settings]} table); every other key is one a plugin declares for one of its settings
 * ({@link SettingSpec#fileKey()}), such as {@code [server.tls] cert} for {@code transport.tls.cert}.
 *
 * <pre>
 * [server]
 * listen = ["tcp://0.0.0.0:2222"]
 * host_key = "host_key"
 *
 * [auth]
 * authorized_keys = "authorized_keys"
 *
 * [limits]
 * max_auth_attempts = 10
 *
 * [forwarding]
 * rules = """
 * deny  * 22
 * allow *
 * """
 * </pre>
 *
 * @param file     the file
 * @param server   the command's own {@code [server]} keys
 * @param limits   {@code [limits]}: reloadable
 * @param declared the values of the keys plugins declare, by {@code section.key} (paths resolved, lists joined by commas)
 * @param settings {@code [settings]}: component settings by full key
 */
record ConfigFile(Path file, Server server, Limits limits, Map<String, String> declared, Map<String, String> settings) {

    /** {@code [server]}: static, a change needs a restart. */
    record Server(List<String> listen, String transport, String grace, List<String> rawListen) {
    }

    /** {@code [limits]}: reloadable. */
    record Limits(Integer maxAuthAttempts, Integer maxConnectionsPerIp, String maxStartups, String perSourcePenalties) {
    }

    /** What a key of the command's own holds. */
    private enum Own { STRING, STRINGS, INTEGER }

    private static final Map<String, Own> OWN = Map.of(
            "server.listen", Own.STRINGS, "server.transport", Own.STRING, "server.grace", Own.STRING, "server.raw_listen", Own.STRINGS,
            "limits.max_auth_attempts", Own.INTEGER, "limits.max_connections_per_ip", Own.INTEGER,
            "limits.max_startups", Own.STRING, "limits.per_source_penalties", Own.STRING);
    private static final String SETTINGS = "settings";

    private static final TomlMapper MAPPER = TomlMapper.builder().build();

    /**
     * Reads and checks a configuration file against the command's keys and those {@code plugins} declare.
     *
     * @throws AlknetException {@code INVALID_CONFIG} naming the file, line and key
     */
    static ConfigFile read(Path file, PluginOptions plugins) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new AlknetException(ErrorCode.INVALID_CONFIG, "configuration file not found: " + file);
        } catch (IOException e) {
            throw new AlknetException(ErrorCode.INVALID_CONFIG, "cannot read configuration file " + file + ": " + e.getMessage());
        }
        JsonNode document;
        try {
            document = MAPPER.readTree(text);
        } catch (StreamReadException e) {
            String where = e.getLocation() == null || e.getLocation().getLineNr() < 0 ? ""
                    : " line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new AlknetException(ErrorCode.INVALID_CONFIG, "configuration file " + file + where + ": "
                    + firstLine(e.getOriginalMessage()));
        } catch (JacksonException e) {
            throw new AlknetException(ErrorCode.INVALID_CONFIG, "configuration file " + file + ": " + firstLine(e.getOriginalMessage()));
        }
        Map<String, SettingSpec> declaredKeys = new LinkedHashMap<>();
        plugins.fileKeys().forEach((key, settings) -> declaredKeys.put(key, settings.getFirst().setting()));
        Reader reader = new Reader(file, text, file.toAbsolutePath().getParent(), declaredKeys);
        reader.table(document, "");
        Map<String, Object> own = reader.own;
        Server server = new Server(strings(own.get("server.listen")), (String) own.get("server.transport"), (String) own.get("server.grace"),
                strings(own.get("server.raw_listen")));
        Limits limits = new Limits((Integer) own.get("limits.max_auth_attempts"), (Integer) own.get("limits.max_connections_per_ip"),
                (String) own.get("limits.max_startups"), (String) own.get("limits.per_source_penalties"));
        return new ConfigFile(file, server, limits, Map.copyOf(reader.declared), Map.copyOf(reader.settings));
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object value) {
        return (List<String>) value;
    }

    /** Walks the document, checking every key against what is known. */
    private static final class Reader {
        private final Path file;
        private final String text;
        private final Path base;
        private final Map<String, SettingSpec> declaredKeys;
        private final Map<String, Object> own = new LinkedHashMap<>();
        private final Map<String, String> declared = new LinkedHashMap<>();
        private final Map<String, String> settings = new LinkedHashMap<>();

        Reader(Path file, String text, Path base, Map<String, SettingSpec> declaredKeys) {
            this.file = file;
            this.text = text;
            this.base = base;
            this.declaredKeys = declaredKeys;
        }

        void table(JsonNode table, String section) {
            for (Map.Entry<String, JsonNode> entry : table.properties()) {
                String name = entry.getKey();
                String path = section.isEmpty() ? name : section + "." + name;
                JsonNode value = entry.getValue();
                if (path.equals(SETTINGS)) {
                    settingsTable(value);
                } else if (OWN.containsKey(path)) {
                    own.put(path, own(value, OWN.get(path), name, section));
                } else if (declaredKeys.containsKey(path)) {
                    declared.put(path, declaredValue(value, declaredKeys.get(path), name, section));
                } else if (isSection(path) && value.isObject()) {
                    table(value, path);
                } else {
                    throw invalid(name, section, "unknown key '" + name + "'" + (section.isEmpty() ? "" : " in [" + section + "]")
                            + "; known: " + String.join(", ", known(section)));
                }
            }
        }

        private void settingsTable(JsonNode value) {
            if (!value.isObject()) {
                throw invalid(SETTINGS, "", "'settings' has the wrong type: expected a table of \"key\" = \"value\"");
            }
            for (Map.Entry<String, JsonNode> setting : value.properties()) {
                if (!setting.getValue().isValueNode()) {
                    throw invalid(setting.getKey(), SETTINGS, "'" + setting.getKey() + "' in [settings] has the wrong type: expected a value");
                }
                settings.put(setting.getKey(), setting.getValue().asString());
            }
        }

        /** Every path that is a section: a proper prefix of a known key. */
        private boolean isSection(String path) {
            return allKeys().stream().anyMatch(key -> key.startsWith(path + "."));
        }

        private List<String> allKeys() {
            List<String> keys = new ArrayList<>(OWN.keySet());
            keys.addAll(declaredKeys.keySet());
            keys.add(SETTINGS);
            return keys;
        }

        /** The keys and sub-sections directly under {@code section}. */
        private TreeSet<String> known(String section) {
            TreeSet<String> names = new TreeSet<>();
            String prefix = section.isEmpty() ? "" : section + ".";
            for (String key : allKeys()) {
                if (key.startsWith(prefix)) {
                    String rest = key.substring(prefix.length());
                    names.add(rest.contains(".") ? rest.substring(0, rest.indexOf('.')) : rest);
                }
            }
            return names;
        }

        private Object own(JsonNode value, Own type, String name, String section) {
            return switch (type) {
                case STRING -> text(value, name, section);
                case STRINGS -> texts(value, name, section);
                case INTEGER -> {
                    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
                        throw wrongType(name, section, "a whole number");
                    }
                    yield value.intValue();
                }
            };
        }

        private String declaredValue(JsonNode value, SettingSpec setting, String name, String section) {
            return switch (setting.type()) {
                case STRING, DURATION -> text(value, name, section);
                case INTEGER -> {
                    if (value.isIntegralNumber()) {
                        yield value.asString();
                    }
                    throw wrongType(name, section, "a whole number");
                }
                case BOOLEAN -> {
                    if (value.isBoolean()) {
                        yield Boolean.toString(value.booleanValue());
                    }
                    throw wrongType(name, section, "true or false");
                }
                case LIST -> String.join(",", texts(value, name, section));
                case PATH -> resolve(text(value, name, section));
                case PATHS -> String.join(",", texts(value, name, section).stream().map(this::resolve).toList());
            };
        }

        private String text(JsonNode value, String name, String section) {
            if (!value.isString()) {
                throw wrongType(name, section, "a string");
            }
            return value.asString();
        }

        /** A string, or a list of them. */
        private List<String> texts(JsonNode value, String name, String section) {
            if (value.isString()) {
                return List.of(value.asString());
            }
            if (!value.isArray()) {
                throw wrongType(name, section, "a string or a list of strings");
            }
            List<String> values = new ArrayList<>();
            for (JsonNode element : value) {
                if (!element.isString()) {
                    throw wrongType(name, section, "a string or a list of strings");
                }
                values.add(element.asString());
            }
            return List.copyOf(values);
        }

        private String resolve(String path) {
            return base.resolve(path).normalize().toString();
        }

        private AlknetException wrongType(String name, String section, String expected) {
            return invalid(name, section, "'" + name + "'" + (section.isEmpty() ? "" : " in [" + section + "]")
                    + " has the wrong type: expected " + expected);
        }

        /** An error naming the line where {@code key} is set (in {@code section} when it has one). */
        private AlknetException invalid(String key, String section, String reason) {
            int line = lineOf(text, key, section);
            return new AlknetException(ErrorCode.INVALID_CONFIG, "configuration file " + file + (line > 0 ? " line " + line : "")
                    + ": " + reason);
        }
    }

    private static String firstLine(String message) {
        String text = message == null ? "invalid" : message;
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }

    private static int lineOf(String text, String key, String section) {
        if (key == null || key.isEmpty()) {
            return -1;
        }
        Pattern assignment = Pattern.compile("^\\s*\"?" + Pattern.quote(key) + "\"?\\s*=");
        Pattern header = Pattern.compile("^\\s*\\[\\s*([^\\]]+?)\\s*\\]");
        String current = "";
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            var matcher = header.matcher(lines.get(i));
            if (matcher.find()) {
                current = matcher.group(1).strip().toLowerCase(Locale.ROOT);
            } else if (current.equals(section) && assignment.matcher(lines.get(i)).find()) {
                return i + 1;
            }
        }
        return -1;
    }
}
