package io.alknet.storage.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * API keys in the format of the apikey provider's files, {@code alk_} and 32 base32 characters (160 random bits),
 * so one client configuration works with either. Stored as the spec's {@code sha256:<hex>} (ADR-037): the key has
 * 160 bits of entropy, so an unsalted hash can be looked up and still not be guessed.
 */
public final class ApiKeys {

    public static final String KEY_PREFIX = "alk_";
    public static final int PREFIX_LENGTH = KEY_PREFIX.length() + 8;
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeys() {
    }

    public static String newKey() {
        byte[] random = new byte[20];
        RANDOM.nextBytes(random);
        StringBuilder key = new StringBuilder(KEY_PREFIX);
        long bits = 0;
        int count = 0;
        for (byte b : random) {
            bits = (bits << 8) | (b & 0xff);
            count += 8;
            while (count >= 5) {
                key.append(BASE32[(int) (bits >>> (count - 5)) & 31]);
                count -= 5;
            }
        }
        return key.toString();
    }

    public static String prefixOf(String key) {
        return key.length() < PREFIX_LENGTH ? key : key.substring(0, PREFIX_LENGTH);
    }

    public static String hash(String key) {
        return "sha256:" + HexFormat.of().formatHex(sha256(key));
    }

    /** Whether {@code key} hashes to {@code storedHash}, compared in constant time. */
    public static boolean matches(String storedHash, String key) {
        if (!storedHash.startsWith("sha256:")) {
            return false;
        }
        return MessageDigest.isEqual(HexFormat.of().parseHex(storedHash.substring("sha256:".length())), sha256(key));
    }

    private static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
