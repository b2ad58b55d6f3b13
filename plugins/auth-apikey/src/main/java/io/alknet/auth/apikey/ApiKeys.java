package io.alknet.auth.apikey;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.api.policy.Quota;
import io.alknet.api.plugin.StateFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * API keys and their file. A key is {@code alk_} followed by 32 characters of base32 (160 random bits); its
 * first {@value #PREFIX_LENGTH} characters are its public prefix. The file holds one entry per line and
 * never a key:
 *
 * <pre>
 * alk_k7q2m9xw salted-sha256:9f3c…:ab12… scopes=relay:connect created=2026-11-29T06:00:00Z expires=2026-12-29T06:00:00Z description="CI runner"
 * </pre>
 *
 * {@code #} starts a comment line. The file is written whole (temporary file, then an atomic rename) with
 * mode 0600. Thread-safe; a reader never sees a half-written file.
 */
public final class ApiKeys {

    public static final String KEY_PREFIX = "alk_";
    public static final int PREFIX_LENGTH = KEY_PREFIX.length() + 8;
    private static final String SALTED = "salted-sha256:";
    private static final String PLAIN = "sha256:";
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeys() {
    }

    /** A key that was just created: the secret (shown once) and what is stored. */
    public record Created(String key, ApiKeyEntry entry) {
        @Override
        public String toString() {
            return "Created[" + entry.prefix() + "…]";
        }
    }

    /**
     * Creates a key and appends its entry to {@code file} (created when missing).
     *
     * @param ttl how long it works; empty = until revoked
     */
    public static Created create(Path file, Set<String> scopes, Optional<Duration> ttl, String description, Clock clock) {
        return create(file, scopes, ttl, description, Quota.NONE, clock);
    }

    /**
     * Creates a key whose identity is held to {@code quota}, and appends its entry to {@code file} (created when missing).
     *
     * @param ttl how long it works; empty = until revoked
     */
    public static synchronized Created create(Path file, Set<String> scopes, Optional<Duration> ttl, String description,
                                              Quota quota, Clock clock) {
        if (description.contains("\n") || description.contains("\r")) {
            throw new AlknetException(ErrorCode.INVALID_ARGUMENT, "the description must be one line");
        }
        List<ApiKeyEntry> entries = Files.exists(file) ? read(file) : new ArrayList<>();
        String key;
        do {
            key = newKey();
        } while (prefixTaken(entries, prefixOf(key)));
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        ApiKeyEntry entry = new ApiKeyEntry(prefixOf(key), saltedHash(key), scopes, now, ttl.map(now::plus), description, quota);
        entries.add(entry);
        write(file, entries);
        return new Created(key, entry);
    }

    /** Removes the entry with {@code prefix}; returns false when there is none. */
    public static synchronized boolean revoke(Path file, String prefix) {
        List<ApiKeyEntry> entries = read(file);
        boolean removed = entries.removeIf(entry -> entry.prefix().equals(prefix));
        if (removed) {
            write(file, entries);
        }
        return removed;
    }

    /** The entries of a key file. A malformed line is an error naming {@code file:line}. */
    public static List<ApiKeyEntry> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new AlknetException(ErrorCode.INVALID_CONFIG, "API key file not found: " + file
                    + " (create one with 'alknet apikey create --file " + file + "')");
        } catch (IOException e) {
            throw new AlknetException(ErrorCode.INVALID_CONFIG, "cannot read API key file " + file + ": " + e.getMessage());
        }
        List<ApiKeyEntry> entries = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            ApiKeyEntry entry = parse(line, file + ":" + (i + 1));
            if (prefixTaken(entries, entry.prefix())) {
                throw invalid(file + ":" + (i + 1), "prefix " + entry.prefix() + " appears twice");
            }
            entries.add(entry);
        }
        return entries;
    }

    /** The stored hash of {@code key} matches {@code entry}'s, compared in constant time. */
    public static boolean matches(ApiKeyEntry entry, String key) {
        byte[] presented = key.getBytes(StandardCharsets.UTF_8);
        if (entry.hash().startsWith(SALTED)) {
            String[] parts = entry.hash().substring(SALTED.length()).split(":", 2);
            byte[] salt = HexFormat.of().parseHex(parts[0]);
            return MessageDigest.isEqual(sha256(salt, presented), HexFormat.of().parseHex(parts[1]));
        }
        return MessageDigest.isEqual(sha256(new byte[0], presented), HexFormat.of().parseHex(entry.hash().substring(PLAIN.length())));
    }

    public static String prefixOf(String key) {
        return key.length() < PREFIX_LENGTH ? key : key.substring(0, PREFIX_LENGTH);
    }

    private static String newKey() {
        byte[] random = new byte[20];
        RANDOM.nextBytes(random);
        StringBuilder body = new StringBuilder(KEY_PREFIX);
        int buffer = 0;
        int bits = 0;
        for (byte b : random) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                body.append(BASE32[(buffer >>> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        return body.toString();
    }

    private static String saltedHash(String key) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return SALTED + HexFormat.of().formatHex(salt) + ":"
                + HexFormat.of().formatHex(sha256(salt, key.getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] sha256(byte[] salt, byte[] key) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(salt);
            return digest.digest(key);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static boolean prefixTaken(List<ApiKeyEntry> entries, String prefix) {
        return entries.stream().anyMatch(entry -> entry.prefix().equals(prefix));
    }

    private static ApiKeyEntry parse(String line, String source) {
        List<String> fields = Fields.split(line, source);
        if (fields.size() < 2) {
            throw invalid(source, "expected 'PREFIX HASH [scopes=…] [created=…] [expires=…] [quota=\"…\"] [description=\"…\"]'");
        }
        String prefix = fields.get(0);
        if (!prefix.startsWith(KEY_PREFIX) || prefix.length() != PREFIX_LENGTH) {
            throw invalid(source, "the prefix must be " + KEY_PREFIX + " and 8 characters");
        }
        String hash = fields.get(1);
        checkHash(hash, source);
        Set<String> scopes = new LinkedHashSet<>();
        Instant created = Instant.EPOCH;
        Optional<Instant> expires = Optional.empty();
        String description = "";
        Quota quota = Quota.NONE;
        for (String field : fields.subList(2, fields.size())) {
            int eq = field.indexOf('=');
            if (eq <= 0) {
                throw invalid(source, "expected name=value, got '" + field + "'");
            }
            String name = field.substring(0, eq).toLowerCase(Locale.ROOT);
            String value = field.substring(eq + 1);
            switch (name) {
                case "scopes" -> {
                    for (String scope : value.split(",")) {
                        if (!scope.isBlank()) {
                            scopes.add(scope.strip());
                        }
                    }
                }
                case "created" -> created = instant(value, source);
                case "expires" -> expires = Optional.of(instant(value, source));
                case "description" -> description = value;
                case "quota" -> quota = quota(value, source);
                default -> throw invalid(source, "unknown field '" + name + "'");
            }
        }
        return new ApiKeyEntry(prefix, hash, scopes, created, expires, description, quota);
    }

    private static Quota quota(String value, String source) {
        try {
            return Quota.parse(value);
        } catch (IllegalArgumentException e) {
            throw invalid(source, "quota: " + e.getMessage());
        }
    }

    private static void checkHash(String hash, String source) {
        String hex = "[0-9a-f]{64}";
        if (!(hash.matches(java.util.regex.Pattern.quote(SALTED) + "[0-9a-f]{32}:" + hex) || hash.matches(java.util.regex.Pattern.quote(PLAIN) + hex))) {
            throw invalid(source, "the hash must be salted-sha256:<32 hex>:<64 hex> or sha256:<64 hex> (lowercase)");
        }
    }

    private static Instant instant(String value, String source) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw invalid(source, "'" + value + "' is not an ISO-8601 instant such as 2026-12-31T00:00:00Z");
        }
    }

    private static void write(Path file, List<ApiKeyEntry> entries) {
        StringBuilder text = new StringBuilder("# alknet API keys: hashes only, never the keys. Manage with 'alknet apikey create|list|revoke'.\n");
        for (ApiKeyEntry entry : entries) {
            text.append(entry.prefix()).append(' ').append(entry.hash())
                    .append(" scopes=").append(String.join(",", entry.scopes()))
                    .append(" created=").append(entry.createdAt());
            entry.expiresAt().ifPresent(at -> text.append(" expires=").append(at));
            if (!entry.quota().isNone()) {
                text.append(" quota=").append(Fields.quote(entry.quota().toString()));
            }
            text.append(" description=").append(Fields.quote(entry.description())).append('\n');
        }
        try {
            StateFiles.replace(file, text.toString().getBytes(StandardCharsets.UTF_8), true);
        } catch (IOException e) {
            throw new AlknetException(ErrorCode.INVALID_CONFIG, "cannot write API key file " + file + ": " + e.getMessage());
        }
    }

    private static AlknetException invalid(String source, String reason) {
        return new AlknetException(ErrorCode.INVALID_CONFIG, "API key file " + source + ": " + reason);
    }

    /** Space-separated fields; a value may be double-quoted with {@code \"} and {@code \\} escapes. */
    static final class Fields {
        private Fields() {
        }

        static List<String> split(String line, String source) {
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

        static String quote(String value) {
            return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }
    }
}
