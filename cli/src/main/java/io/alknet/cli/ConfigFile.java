package io.alknet.cli;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.dataformat.toml.TomlMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code alknet serve --config FILE}: the server's settings as TOML. Command-line flags override the
 * file. Relative paths are relative to the file's directory. Unknown keys and wrong types are errors naming
 * the section, the key and its line, so a typo is never silently ignored. See {@code docs/configuration.md}.
 *
 * <pre>
 * [server]
 * listen = ["tcp://0.0.0.0:2222"]
 * host_key = "host_key"
 *
 * [auth]
 * authorized_keys = "authorized_keys"
 * trusted_user_ca_keys = "user_ca.pub"
 * api_keys = "api_keys"
 *
 * [limits]
 * max_auth_attempts = 10
 * per_source_penalties = "authfail:5s noauth:1s min:15s max:10m"
 *
 * [forwarding]
 * rules = """
 * deny  * 22
 * allow *
 * """
 * </pre>
 */
record ConfigFile(Path file, Server server, Auth auth, Limits limits, Forwarding forwarding, Map<String, String> settings) {

    /** {@code [server]}: static, a change needs a restart. */
    record Server(List<String> listen, String transport, String hostKey, List<String> ciphers, String gatewayPorts,
                  String grace, List<String> rawListen, String http, String proxy, Tls tls, Iroh iroh) {
    }

    /** {@code [server.iroh]}: iroh listeners. */
    record Iroh(String relay) {
    }

    /** {@code [server.tls]}: the certificate of tls:// listeners (files or ACME) and stealth mode. */
    record Tls(String cert, String key, Boolean stealth, String decoyDir, List<String> acmeDomain, String acmeDirectory,
               String acmeEmail, String acmeCa, Integer acmeHttpPort) {
    }

    /** {@code [auth]}: reloadable. */
    record Auth(List<String> authorizedKeys, List<String> trustedUserCaKeys, List<String> apiKeys, Boolean tokens,
                String tokenMaxAge) {
    }

    /** {@code [limits]}: reloadable. */
    record Limits(Integer maxAuthAttempts, Integer maxConnectionsPerIp, String maxStartups, String perSourcePenalties) {
    }

    /** {@code [forwarding]}: reloadable; a rules file or the same rules inline. */
    record Forwarding(String policy, String rules) {
    }

    /** What the file itself holds, before paths are resolved. */
    private record Document(Server server, Auth auth, Limits limits, Forwarding forwarding, Map<String, String> settings) {
    }

    private static final TomlMapper MAPPER = TomlMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    /**
     * Reads and checks a configuration file.
     *
     * @throws AlknetException {@code INVALID_CONFIG} naming the file, line and key
     */
    static ConfigFile read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new AlknetException(ErrorCode.INVALID_CONFIG, "configuration file not found: " + file);
        } catch (IOException e) {
            throw new AlknetException(ErrorCode.INVALID_CONFIG, "cannot read configuration file " + file + ": " + e.getMessage());
        }
        Document document;
        try {
            document = MAPPER.readValue(text, Document.class);
        } catch (UnrecognizedPropertyException e) {
            String section = section(e);
            throw invalid(file, text, e.getPropertyName(), section, "unknown key '" + e.getPropertyName() + "'"
                    + (section.isEmpty() ? "" : " in [" + section + "]") + "; known: "
                    + e.getKnownPropertyIds().stream().map(String::valueOf).map(ConfigFile::snake).sorted().collect(Collectors.joining(", ")));
        } catch (MismatchedInputException e) {
            String key = e.getPath().isEmpty() ? "" : String.valueOf(e.getPath().getLast().getPropertyName());
            String section = section(e);
            throw invalid(file, text, key, section, "'" + key + "'" + (section.isEmpty() ? "" : " in [" + section + "]")
                    + " has the wrong type: " + firstLine(e.getOriginalMessage()));
        } catch (StreamReadException e) {
            String where = e.getLocation() == null || e.getLocation().getLineNr() < 0 ? ""
                    : " line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new AlknetException(ErrorCode.INVALID_CONFIG, "configuration file " + file + where + ": "
                    + firstLine(e.getOriginalMessage()));
        } catch (JacksonException e) {
            throw new AlknetException(ErrorCode.INVALID_CONFIG, "configuration file " + file + ": " + firstLine(e.getOriginalMessage()));
        }
        Path base = file.toAbsolutePath().getParent();
        Server server = document.server() == null ? new Server(null, null, null, null, null, null, null, null, null, null, null) : document.server();
        Tls tls = server.tls() == null ? new Tls(null, null, null, null, null, null, null, null, null) : server.tls();
        Auth auth = document.auth() == null ? new Auth(null, null, null, null, null) : document.auth();
        Limits limits = document.limits() == null ? new Limits(null, null, null, null) : document.limits();
        Forwarding forwarding = document.forwarding() == null ? new Forwarding(null, null) : document.forwarding();
        if (forwarding.policy() != null && forwarding.rules() != null) {
            throw invalid(file, text, "rules", "forwarding", "[forwarding] has both 'policy' (a file) and 'rules' (inline); keep one");
        }
        tls = new Tls(resolve(base, tls.cert()), resolve(base, tls.key()), tls.stealth(), resolve(base, tls.decoyDir()), tls.acmeDomain(),
                tls.acmeDirectory(), tls.acmeEmail(), resolve(base, tls.acmeCa()), tls.acmeHttpPort());
        server = new Server(server.listen(), server.transport(), resolve(base, server.hostKey()), server.ciphers(),
                server.gatewayPorts(), server.grace(), server.rawListen(), server.http(), server.proxy(), tls, server.iroh());
        auth = new Auth(resolveAll(base, auth.authorizedKeys()), resolveAll(base, auth.trustedUserCaKeys()),
                resolveAll(base, auth.apiKeys()), auth.tokens(), auth.tokenMaxAge());
        forwarding = new Forwarding(resolve(base, forwarding.policy()), forwarding.rules());
        return new ConfigFile(file, server, auth, limits, forwarding, document.settings() == null ? Map.of() : Map.copyOf(document.settings()));
    }

    private static String resolve(Path base, String path) {
        return path == null ? null : base.resolve(path).normalize().toString();
    }

    private static List<String> resolveAll(Path base, List<String> paths) {
        return paths == null ? null : paths.stream().map(path -> resolve(base, path)).toList();
    }

    private static String section(JacksonException e) {
        if (e.getPath().size() < 2) {
            return "";
        }
        return e.getPath().subList(0, e.getPath().size() - 1).stream()
                .map(reference -> String.valueOf(reference.getPropertyName())).collect(Collectors.joining("."));
    }

    private static String snake(String camel) {
        return camel.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }

    private static String firstLine(String message) {
        String text = message == null ? "invalid" : message;
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }

    /** An error naming the line where {@code key} is set (in {@code section} when it has one). */
    private static AlknetException invalid(Path file, String text, String key, String section, String reason) {
        int line = lineOf(text, key, section);
        return new AlknetException(ErrorCode.INVALID_CONFIG, "configuration file " + file + (line > 0 ? " line " + line : "")
                + ": " + reason);
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
                current = matcher.group(1);
            } else if (current.equals(section) && assignment.matcher(lines.get(i)).find()) {
                return i + 1;
            }
        }
        return -1;
    }
}
