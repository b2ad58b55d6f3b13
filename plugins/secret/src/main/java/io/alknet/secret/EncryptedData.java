package io.alknet.secret;

import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A value the secret service encrypted (spec services.md 7.3): the key version that selects the key, a random salt,
 * a random 12-byte IV, and the AES-256-GCM ciphertext with its 16-byte tag appended. None of it is secret. On the wire
 * it is {@code {"key_version": n, "salt": b64, "iv": b64, "data": b64}} with standard padded base64.
 */
public record EncryptedData(int keyVersion, byte[] salt, byte[] iv, byte[] data) {

    public EncryptedData {
        if (keyVersion < 0) {
            throw new SecretException(SecretException.INVALID_INPUT, "key_version is 0 to 2147483647; got " + keyVersion);
        }
        salt = Objects.requireNonNull(salt, "salt").clone();
        iv = Objects.requireNonNull(iv, "iv").clone();
        data = Objects.requireNonNull(data, "data").clone();
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }

    @Override
    public byte[] iv() {
        return iv.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    /** The wire form, a JSON object. */
    public Map<String, Object> toJson() {
        Base64.Encoder base64 = Base64.getEncoder();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("key_version", keyVersion);
        json.put("salt", base64.encodeToString(salt));
        json.put("iv", base64.encodeToString(iv));
        json.put("data", base64.encodeToString(data));
        return json;
    }

    /**
     * Reads the wire form.
     *
     * @throws SecretException {@code INVALID_INPUT} naming the field that is missing or malformed
     */
    public static EncryptedData fromJson(Object json) {
        if (!(json instanceof Map<?, ?> map)) {
            throw new SecretException(SecretException.INVALID_INPUT, "encrypted data is an object {key_version, salt, iv, data}");
        }
        if (!(map.get("key_version") instanceof Number version) || version.doubleValue() != version.longValue()
                || version.longValue() < 0 || version.longValue() > Integer.MAX_VALUE) {
            throw new SecretException(SecretException.INVALID_INPUT, "encrypted data needs key_version, a whole number 0 to 2147483647");
        }
        return new EncryptedData(version.intValue(), base64(map, "salt"), base64(map, "iv"), base64(map, "data"));
    }

    private static byte[] base64(Map<?, ?> map, String field) {
        if (!(map.get(field) instanceof String text)) {
            throw new SecretException(SecretException.INVALID_INPUT, "encrypted data needs " + field + ", a base64 string");
        }
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new SecretException(SecretException.INVALID_INPUT, "encrypted data's " + field + " is not base64");
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof EncryptedData that && keyVersion == that.keyVersion && Arrays.equals(salt, that.salt)
                && Arrays.equals(iv, that.iv) && Arrays.equals(data, that.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(keyVersion, Arrays.hashCode(salt), Arrays.hashCode(iv), Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        return "EncryptedData[key_version=" + keyVersion + ", " + data.length + " bytes]";
    }
}
