package io.alknet.auth.keys.internal;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.api.policy.Quota;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Reads OpenSSH {@code authorized_keys} files: {@code [options] keytype base64 [comment]} per line,
 * {@code #} comments and blank lines skipped. Only {@code ssh-ed25519} keys are accepted; lines with
 * other key types are skipped with a warning naming the line. A malformed line is an error naming
 * {@code file:line}, so a typo never silently locks someone out or in.
 */
final class AuthorizedKeysFile {

    private static final Logger LOG = LoggerFactory.getLogger("alknet.keys");

    static final String ED25519 = "ssh-ed25519";

    /** Options we understand. Restrictions we cannot enforce are refused, never ignored. */
    private static final Set<String> KNOWN_FLAGS = Set.of("cert-authority", "restrict", "no-port-forwarding",
            "port-forwarding", "no-pty", "pty", "no-agent-forwarding", "agent-forwarding", "no-x11-forwarding",
            "x11-forwarding", "no-user-rc", "user-rc", "no-touch-required", "verify-required", "permit-port-forwarding");
    private static final Set<String> KNOWN_VALUED = Set.of("principals", "from", "expiry-time", "command", "environment", "scopes", "quota",
            "iroh-endpoint");
    private static final Set<String> UNENFORCEABLE = Set.of("permitopen", "permitlisten", "tunnel");

    private AuthorizedKeysFile() {
    }

    static List<AuthorizedKey> read(Path file, Clock clock) {
        return read(file, clock, false);
    }

    /**
     * Reads a file; with {@code certAuthorities} every line is a trusted CA (OpenSSH's
     * {@code TrustedUserCAKeys}), as if it started with {@code cert-authority}.
     */
    static List<AuthorizedKey> read(Path file, Clock clock, boolean certAuthorities) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new AlknetException(ErrorCode.INVALID_CONFIG, "authorized keys file not found: " + file);
        } catch (IOException e) {
            throw new AlknetException(ErrorCode.INVALID_CONFIG, "cannot read authorized keys file " + file + ": " + e.getMessage());
        }
        List<AuthorizedKey> keys = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String source = file + ":" + (i + 1);
            parseLine(lines.get(i), source, certAuthorities).ifPresent(keys::add);
        }
        return keys;
    }

    static Optional<AuthorizedKey> parseLine(String raw, String source) {
        return parseLine(raw, source, false);
    }

    static Optional<AuthorizedKey> parseLine(String raw, String source, boolean certAuthority) {
        String line = raw.strip();
        if (line.isEmpty() || line.startsWith("#")) {
            return Optional.empty();
        }
        List<String> options = List.of();
        if (!looksLikeKeyType(firstToken(line))) {
            int end = endOfOptions(line, source);
            options = splitOptions(line.substring(0, end), source);
            line = line.substring(end).strip();
        }
        String[] parts = line.split("\\s+", 3);
        if (parts.length < 2) {
            throw invalid(source, "expected 'keytype base64-key [comment]'");
        }
        String keyType = parts[0];
        if (!looksLikeKeyType(keyType)) {
            throw invalid(source, "unknown key type '" + keyType + "'");
        }
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(parts[1]);
        } catch (IllegalArgumentException e) {
            throw invalid(source, "the key is not valid base64");
        }
        String comment = parts.length > 2 ? parts[2].strip() : "";
        Options parsed = Options.parse(options, source, certAuthority);
        if (!ED25519.equals(keyType)) {
            LOG.warn("keys.line.skipped source={} key_type={} reason=only ssh-ed25519 keys are accepted", source, keyType);
            return Optional.empty();
        }
        checkEd25519Blob(blob, source);
        return Optional.of(new AuthorizedKey(keyType, blob, fingerprint(blob), comment, parsed.certAuthority,
                parsed.principals, parsed.from, parsed.portForwarding, parsed.expiresAt, parsed.requireForwardingExtension, parsed.scopes,
                parsed.irohEndpoints, parsed.quota, source));
    }

    private static String firstToken(String line) {
        int space = 0;
        while (space < line.length() && !Character.isWhitespace(line.charAt(space))) {
            space++;
        }
        return line.substring(0, space);
    }

    private static boolean looksLikeKeyType(String token) {
        return token.startsWith("ssh-") || token.startsWith("ecdsa-sha2-") || token.startsWith("sk-")
                || token.endsWith("-cert-v01@openssh.com");
    }

    /** Index of the first unquoted whitespace: the end of the options field. */
    private static int endOfOptions(String line, String source) {
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && quoted && i + 1 < line.length()) {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && Character.isWhitespace(c)) {
                return i;
            }
        }
        throw invalid(source, quoted ? "unterminated quote in options" : "options but no key");
    }

    private static List<String> splitOptions(String field, String source) {
        List<String> options = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && quoted && i + 1 < field.length()) {
                current.append(field.charAt(++i));
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                options.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        options.add(current.toString());
        for (String option : options) {
            if (option.isEmpty()) {
                throw invalid(source, "empty option");
            }
        }
        return options;
    }

    private static void checkEd25519Blob(byte[] blob, String source) {
        ByteBuffer buffer = ByteBuffer.wrap(blob);
        try {
            String type = new String(readString(buffer), StandardCharsets.US_ASCII);
            byte[] key = readString(buffer);
            if (!ED25519.equals(type) || key.length != 32 || buffer.hasRemaining()) {
                throw invalid(source, "the key data is not an Ed25519 public key");
            }
        } catch (java.nio.BufferUnderflowException | IllegalArgumentException e) {
            throw invalid(source, "the key data is truncated");
        }
    }

    private static byte[] readString(ByteBuffer buffer) {
        int length = buffer.getInt();
        if (length < 0 || length > buffer.remaining()) {
            throw new IllegalArgumentException("bad length");
        }
        byte[] bytes = new byte[length];
        buffer.get(bytes);
        return bytes;
    }

    static String fingerprint(byte[] blob) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static AlknetException invalid(String source, String reason) {
        return new AlknetException(ErrorCode.INVALID_CONFIG, "authorized keys " + source + ": " + reason);
    }

    /** The parsed options of one line. */
    private record Options(boolean certAuthority, List<String> principals, List<String> from, boolean portForwarding,
                           Optional<Instant> expiresAt, boolean requireForwardingExtension, List<String> scopes,
                           List<String> irohEndpoints, Quota quota) {

        static Options parse(List<String> options, String source, boolean impliedCertAuthority) {
            boolean certAuthority = impliedCertAuthority;
            boolean portForwarding = true;
            List<String> principals = List.of();
            List<String> from = List.of();
            Optional<Instant> expiresAt = Optional.empty();
            boolean requireForwardingExtension = false;
            List<String> scopes = List.of();
            List<String> irohEndpoints = List.of();
            Quota quota = Quota.NONE;
            for (String option : options) {
                int eq = option.indexOf('=');
                String name = (eq < 0 ? option : option.substring(0, eq)).toLowerCase(Locale.ROOT);
                String value = eq < 0 ? null : option.substring(eq + 1);
                if (UNENFORCEABLE.contains(name)) {
                    throw invalid(source, "option '" + name + "' is not supported; express the restriction as a rule in the policy file");
                }
                if (value == null ? !KNOWN_FLAGS.contains(name) : !KNOWN_VALUED.contains(name)) {
                    throw invalid(source, "unknown option '" + option + "'");
                }
                switch (name) {
                    case "cert-authority" -> certAuthority = true;
                    case "restrict", "no-port-forwarding" -> portForwarding = false;
                    case "port-forwarding" -> portForwarding = true;
                    case "principals" -> principals = splitList(value);
                    case "from" -> from = splitList(value);
                    case "expiry-time" -> expiresAt = Optional.of(parseExpiry(value, source));
                    case "permit-port-forwarding" -> requireForwardingExtension = true;
                    case "scopes" -> scopes = scopes(value, source);
                    case "iroh-endpoint" -> irohEndpoints = irohEndpoints(value, source);
                    case "quota" -> quota = quota(value, source);
                    default -> {
                        // accepted and irrelevant: alknet has no shell, pty, agent or X11
                    }
                }
            }
            if (requireForwardingExtension && !certAuthority) {
                throw invalid(source, "option 'permit-port-forwarding' only applies to a cert-authority line");
            }
            if (!irohEndpoints.isEmpty() && certAuthority) {
                // an endpoint binds one client's key; a CA signs for many clients, so the option would mean nothing
                throw invalid(source, "option 'iroh-endpoint' binds a client key to its iroh endpoint and does not apply to a "
                        + "cert-authority line");
            }
            return new Options(certAuthority, principals, from, portForwarding, expiresAt, requireForwardingExtension, scopes,
                    irohEndpoints, quota);
        }

        /**
         * alknet's own option: the key logs in only over iroh from these endpoint ids, e.g.
         * {@code iroh-endpoint="97e9…0800"} (the id as alknet prints it: 64 hex digits).
         */
        private static List<String> irohEndpoints(String value, String source) {
            List<String> ids = splitList(value).stream().map(id -> id.toLowerCase(Locale.ROOT)).toList();
            if (ids.isEmpty()) {
                throw invalid(source, "iroh-endpoint=\"\" names no endpoint id");
            }
            for (String id : ids) {
                if (!id.matches("[0-9a-f]{64}")) {
                    throw invalid(source, "iroh-endpoint '" + id + "' is not an iroh endpoint id (64 hex digits, as alknet prints it)");
                }
            }
            return ids;
        }

        /**
         * alknet's own option: limits for the key's identity, e.g. {@code quota="channels=8,rate=10MB/s"} (see
         * {@link Quota}); on a cert-authority line, for each identity its certificates log in as.
         */
        private static Quota quota(String value, String source) {
            try {
                return Quota.parse(value);
            } catch (IllegalArgumentException e) {
                throw invalid(source, "quota=\"" + value + "\": " + e.getMessage());
            }
        }

        /** alknet's own option: extra scopes for operation access, e.g. {@code scopes="greeter:use,monitoring:read"}. */
        private static List<String> scopes(String value, String source) {
            List<String> scopes = splitList(value);
            for (String scope : scopes) {
                if (!scope.matches("[A-Za-z0-9._:*-]+")) {
                    throw invalid(source, "scope '" + scope + "' may only use letters, digits and . _ : * -");
                }
            }
            return scopes;
        }

        private static List<String> splitList(String value) {
            return java.util.Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        }

        private static Instant parseExpiry(String value, String source) {
            String digits = value.strip();
            String pattern = switch (digits.length()) {
                case 8 -> "yyyyMMdd";
                case 12 -> "yyyyMMddHHmm";
                case 14 -> "yyyyMMddHHmmss";
                default -> throw invalid(source, "expiry-time must be YYYYMMDD[HHMM[SS]]");
            };
            try {
                String padded = digits.length() == 8 ? digits + "0000" : digits;
                String fullPattern = digits.length() == 8 ? "yyyyMMddHHmm" : pattern;
                return LocalDateTime.parse(padded, DateTimeFormatter.ofPattern(fullPattern)).atZone(ZoneId.systemDefault()).toInstant();
            } catch (DateTimeParseException e) {
                throw invalid(source, "expiry-time '" + value + "' is not a valid date");
            }
        }
    }
}
