package com.example.authdirectory;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The directory file: a flat, LDAP-like list of accounts, one per line. Blank lines and lines whose first
 * non-blank character is {@code #} are ignored. Every other line is a list of {@code name=value} fields
 * separated by spaces, {@code uid} first; a value holding spaces is double-quoted ({@code \"} and
 * {@code \\} escape inside quotes):
 *
 * <pre>
 * # uid=ID [name="TEXT"] [scopes=S,S] [keys=SHA256:FP,SHA256:FP] [tokens=HEX,HEX] [expires=INSTANT] [status=active|disabled]
 * uid=carol name="Carol Example" scopes=relay:connect,greeter:use keys=SHA256:uJ1mQ…Zk tokens=9f86d081884c7d65…
 * uid=dave  scopes=relay:connect keys=SHA256:Xb4p…0c expires=2027-01-01T00:00:00Z
 * uid=erin  keys=SHA256:Qm7T…aQ status=disabled
 * </pre>
 *
 * <table>
 *   <caption>Fields</caption>
 *   <tr><td>{@code uid}</td><td>required, first: the identity id ({@code [A-Za-z0-9][A-Za-z0-9._@-]*}, at most 64
 *       characters), unique</td></tr>
 *   <tr><td>{@code name}</td><td>display name for logs; default: the uid</td></tr>
 *   <tr><td>{@code scopes}</td><td>comma-separated scopes; {@code relay:connect} lets the account open tunnels;
 *       default: none</td></tr>
 *   <tr><td>{@code keys}</td><td>comma-separated SSH key fingerprints as {@code ssh-keygen -lf} prints them
 *       ({@code SHA256:} + 43 characters of base64), each unique in the directory</td></tr>
 *   <tr><td>{@code tokens}</td><td>comma-separated SHA-256 hashes (64 hex digits) of bearer secrets — the
 *       secret itself is never stored; compute one with {@code printf '%s' "$SECRET" | sha256sum}</td></tr>
 *   <tr><td>{@code expires}</td><td>an ISO-8601 instant; from then on the account is rejected</td></tr>
 *   <tr><td>{@code status}</td><td>{@code active} (default) or {@code disabled}: a disabled account is rejected</td></tr>
 * </table>
 *
 * A field may appear once per line. Anything else — an unknown field, a malformed value, a line without
 * {@code uid=} first, a uid, fingerprint or hash used twice — is refused with {@code INVALID_CONFIG} naming
 * {@code file:line}.
 */
public final class DirectoryFile {

    static final Pattern UID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");
    static final Pattern FINGERPRINT = Pattern.compile("SHA256:[A-Za-z0-9+/]{43}");
    static final Pattern HASH = Pattern.compile("[0-9a-fA-F]{64}");
    static final Pattern SCOPE = Pattern.compile("[A-Za-z0-9._:/*-]{1,128}");
    static final List<String> FIELDS = List.of("uid", "name", "scopes", "keys", "tokens", "expires", "status");

    private DirectoryFile() {
    }

    /** The accounts of {@code file}, in file order. */
    static List<DirectoryEntry> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new AlknetException(ErrorCode.INVALID_CONFIG, "directory file not found: " + file);
        } catch (IOException e) {
            throw new AlknetException(ErrorCode.INVALID_CONFIG, "cannot read directory file " + file + ": " + e.getMessage());
        }
        List<DirectoryEntry> entries = parse(lines, file.toString());
        checkUnique(entries, file.toString());
        return entries;
    }

    /** Parses lines; {@code name} labels them in messages ({@code name:line}). */
    static List<DirectoryEntry> parse(List<String> lines, String name) {
        List<DirectoryEntry> entries = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            entries.add(parseLine(line, name + ":" + (i + 1)));
        }
        return entries;
    }

    /**
     * Refuses a uid, key fingerprint or secret hash that two entries share: the answer for a credential
     * must not depend on which entry happens to come first.
     */
    static void checkUnique(List<DirectoryEntry> entries, String what) {
        Map<String, String> uids = new HashMap<>();
        Map<String, String> keys = new HashMap<>();
        Map<String, String> hashes = new HashMap<>();
        for (DirectoryEntry entry : entries) {
            String earlier = uids.putIfAbsent(entry.uid(), entry.source());
            if (earlier != null) {
                throw invalid(entry.source(), "uid '" + entry.uid() + "' is already defined at " + earlier);
            }
            for (String key : entry.keys()) {
                earlier = keys.putIfAbsent(key, entry.source());
                if (earlier != null) {
                    throw invalid(entry.source(), "key " + key + " is already listed at " + earlier);
                }
            }
            for (byte[] hash : entry.secretHashes()) {
                earlier = hashes.putIfAbsent(HexFormat.of().formatHex(hash), entry.source());
                if (earlier != null) {
                    throw invalid(entry.source(), "a token hash is already listed at " + earlier);
                }
            }
        }
    }

    /** The SHA-256 of a bearer secret's UTF-8 bytes, as stored in {@code tokens=}. */
    public static String hashSecret(String secret) {
        return HexFormat.of().formatHex(sha256(secret.getBytes(StandardCharsets.UTF_8)));
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static DirectoryEntry parseLine(String line, String source) {
        List<String> fields = split(line, source);
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < fields.size(); i++) {
            String field = fields.get(i);
            int eq = field.indexOf('=');
            if (eq <= 0) {
                throw invalid(source, "expected name=value, got '" + field + "'");
            }
            String name = field.substring(0, eq);
            String value = field.substring(eq + 1);
            if (!FIELDS.contains(name)) {
                throw invalid(source, "unknown field '" + name + "'; known fields: " + String.join(", ", FIELDS));
            }
            if (i == 0 && !name.equals("uid")) {
                throw invalid(source, "an entry starts with uid=, got '" + name + "='");
            }
            if (values.putIfAbsent(name, value) != null) {
                throw invalid(source, "field '" + name + "' appears twice");
            }
            if (value.isEmpty()) {
                throw invalid(source, "field '" + name + "' is empty");
            }
            if (value.chars().anyMatch(Character::isISOControl)) {
                throw invalid(source, "field '" + name + "' contains a control character");
            }
        }
        String uid = values.get("uid");
        if (!UID.matcher(uid).matches()) {
            throw invalid(source, "uid '" + uid + "' must match " + UID.pattern());
        }
        Set<String> scopes = new LinkedHashSet<>();
        for (String scope : list(values.get("scopes"))) {
            if (!SCOPE.matcher(scope).matches()) {
                throw invalid(source, "scope '" + scope + "' must match " + SCOPE.pattern());
            }
            scopes.add(scope);
        }
        List<String> keys = new ArrayList<>();
        for (String key : list(values.get("keys"))) {
            if (!FINGERPRINT.matcher(key).matches()) {
                throw invalid(source, "'" + key + "' is not a key fingerprint (SHA256: and 43 characters of base64,"
                        + " as 'ssh-keygen -lf KEY.pub' prints it)");
            }
            if (keys.contains(key)) {
                throw invalid(source, "key " + key + " is listed twice");
            }
            keys.add(key);
        }
        List<byte[]> hashes = new ArrayList<>();
        for (String hash : list(values.get("tokens"))) {
            if (!HASH.matcher(hash).matches()) {
                // never echo the value: someone may have pasted a secret instead of its hash
                throw invalid(source, "a token is not a SHA-256 hash (64 hex digits); store the hash of the secret,"
                        + " e.g. printf '%s' \"$SECRET\" | sha256sum");
            }
            byte[] bytes = HexFormat.of().parseHex(hash.toLowerCase(java.util.Locale.ROOT));
            if (hashes.stream().anyMatch(h -> MessageDigest.isEqual(h, bytes))) {
                throw invalid(source, "a token hash is listed twice");
            }
            hashes.add(bytes);
        }
        Optional<Instant> expires = Optional.empty();
        if (values.containsKey("expires")) {
            try {
                expires = Optional.of(Instant.parse(values.get("expires")));
            } catch (DateTimeParseException e) {
                throw invalid(source, "expires '" + values.get("expires") + "' is not an ISO-8601 instant such as 2027-01-01T00:00:00Z");
            }
        }
        boolean disabled = switch (values.getOrDefault("status", "active")) {
            case "active" -> false;
            case "disabled" -> true;
            default -> throw invalid(source, "status must be active or disabled, got '" + values.get("status") + "'");
        };
        return new DirectoryEntry(uid, values.getOrDefault("name", uid), scopes, keys, hashes, expires, disabled, source);
    }

    private static List<String> list(String value) {
        if (value == null) {
            return List.of();
        }
        List<String> items = new ArrayList<>();
        for (String item : value.split(",", -1)) {
            items.add(item.strip());
        }
        return items.stream().filter(item -> !item.isEmpty()).toList();
    }

    /** Space-separated fields; double quotes group spaces, and {@code \"} or {@code \\} escape inside them. */
    private static List<String> split(String line, String source) {
        List<String> fields = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted && c == '\\' && i + 1 < line.length()) {
                current.append(line.charAt(++i));
            } else if (c == '"') {
                quoted = !quoted;
                any = true;
            } else if (!quoted && Character.isWhitespace(c)) {
                if (any || !current.isEmpty()) {
                    fields.add(current.toString());
                    current.setLength(0);
                    any = false;
                }
            } else {
                current.append(c);
            }
        }
        if (quoted) {
            throw invalid(source, "unterminated quote");
        }
        if (any || !current.isEmpty()) {
            fields.add(current.toString());
        }
        return fields;
    }

    static AlknetException invalid(String source, String reason) {
        return new AlknetException(ErrorCode.INVALID_CONFIG, "directory file " + source + ": " + reason);
    }
}
