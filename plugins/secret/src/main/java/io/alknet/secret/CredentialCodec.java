package io.alknet.secret;

import io.alknet.api.identity.CredentialSet;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * How a {@link CredentialSet} is written before it is encrypted, and the type names the store and the CLI use: lines
 * of {@code name=base64(value)}, the first two naming the service and the type, so a ciphertext moved to another
 * service's line in the store is refused. Stateless.
 */
public final class CredentialCodec {

    private CredentialCodec() {
    }

    /** The store's name of a set's type: {@code api-key}, {@code basic}, {@code bearer}, {@code s3}, {@code oidc}, {@code custom}. */
    public static String type(CredentialSet set) {
        return switch (set) {
            case CredentialSet.ApiKey ignored -> "api-key";
            case CredentialSet.Basic ignored -> "basic";
            case CredentialSet.Bearer ignored -> "bearer";
            case CredentialSet.S3AccessKey ignored -> "s3";
            case CredentialSet.OidcToken ignored -> "oidc";
            case CredentialSet.Custom ignored -> "custom";
        };
    }

    /** The fields of {@code set} by name, as the CLI's files and {@link #fromFields} spell them. */
    public static Map<String, String> fields(CredentialSet set) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("type", type(set));
        switch (set) {
            case CredentialSet.ApiKey key -> {
                fields.put("header", key.headerName());
                fields.put("token", key.token());
            }
            case CredentialSet.Basic basic -> {
                fields.put("username", basic.username());
                fields.put("password", basic.password());
            }
            case CredentialSet.Bearer bearer -> fields.put("token", bearer.token());
            case CredentialSet.S3AccessKey s3 -> {
                fields.put("access_key", s3.accessKey());
                fields.put("secret_key", s3.secretKey());
                s3.sessionToken().ifPresent(token -> fields.put("session_token", token));
            }
            case CredentialSet.OidcToken oidc -> {
                fields.put("access_token", oidc.accessToken());
                oidc.refreshToken().ifPresent(token -> fields.put("refresh_token", token));
                oidc.expiresAt().ifPresent(at -> fields.put("expires_at", at.toString()));
            }
            case CredentialSet.Custom custom -> {
                fields.put("scheme", custom.scheme());
                new TreeMap<>(custom.params()).forEach((name, value) -> fields.put("param." + name, value));
            }
        }
        return fields;
    }

    /**
     * The set {@code fields} describe ({@code type} and that type's fields).
     *
     * @throws SecretException {@code INVALID_INPUT} naming the missing, unknown or malformed field
     */
    public static CredentialSet fromFields(Map<String, String> fields) {
        String type = fields.getOrDefault("type", "");
        Map<String, String> rest = new LinkedHashMap<>(fields);
        rest.remove("type");
        CredentialSet set = switch (type) {
            case "api-key" -> new CredentialSet.ApiKey(take(rest, "header"), take(rest, "token"));
            case "basic" -> new CredentialSet.Basic(take(rest, "username"), take(rest, "password"));
            case "bearer" -> new CredentialSet.Bearer(take(rest, "token"));
            case "s3" -> new CredentialSet.S3AccessKey(take(rest, "access_key"), take(rest, "secret_key"),
                    Optional.ofNullable(rest.remove("session_token")));
            case "oidc" -> new CredentialSet.OidcToken(take(rest, "access_token"), Optional.ofNullable(rest.remove("refresh_token")),
                    Optional.ofNullable(rest.remove("expires_at")).map(CredentialCodec::instant));
            case "custom" -> {
                String scheme = take(rest, "scheme");
                Map<String, String> params = new LinkedHashMap<>();
                rest.keySet().removeIf(name -> {
                    if (name.startsWith("param.") && name.length() > "param.".length()) {
                        params.put(name.substring("param.".length()), rest.get(name));
                        return true;
                    }
                    return false;
                });
                yield new CredentialSet.Custom(scheme, params);
            }
            default -> throw new SecretException(SecretException.INVALID_INPUT,
                    "a credential's type is api-key, basic, bearer, s3, oidc or custom; got '" + type + "'");
        };
        if (!rest.isEmpty()) {
            throw new SecretException(SecretException.INVALID_INPUT, "unknown field '" + rest.keySet().iterator().next() + "' for a "
                    + type + " credential; it takes " + String.join(", ", fields(set).keySet()));
        }
        return set;
    }

    /** The plaintext that is encrypted for {@code service}. */
    static byte[] encode(String service, CredentialSet set) {
        StringBuilder text = new StringBuilder();
        line(text, "service", service);
        fields(set).forEach((name, value) -> line(text, name, value));
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Reads what {@link #encode} wrote.
     *
     * @throws SecretException {@code DECRYPTION_FAILED} when it was encrypted for another service, {@code INVALID_INPUT}
     *                         when it is malformed
     */
    static CredentialSet decode(String service, byte[] plaintext) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : new String(plaintext, StandardCharsets.UTF_8).split("\n")) {
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new SecretException(SecretException.INVALID_INPUT, "a stored credential is malformed");
            }
            try {
                fields.put(line.substring(0, eq), new String(Base64.getDecoder().decode(line.substring(eq + 1)), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new SecretException(SecretException.INVALID_INPUT, "a stored credential is malformed");
            }
        }
        if (!service.equals(fields.remove("service"))) {
            throw new SecretException(SecretException.DECRYPTION_FAILED, "the stored credential of " + service
                    + " was encrypted for another service (the store was altered)");
        }
        return fromFields(fields);
    }

    private static void line(StringBuilder text, String name, String value) {
        text.append(name).append('=').append(Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8))).append('\n');
    }

    private static String take(Map<String, String> fields, String name) {
        String value = fields.remove(name);
        if (value == null) {
            throw new SecretException(SecretException.INVALID_INPUT, "a credential of this type needs the field '" + name + "'");
        }
        return value;
    }

    private static Instant instant(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new SecretException(SecretException.INVALID_INPUT, "expires_at is an ISO-8601 instant such as 2026-01-31T12:00:00Z");
        }
    }
}
