package io.alknet.storage.internal;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * An SSH public key as an authorized_keys line gives it: type, base64 blob and comment. Only Ed25519 keys, as the
 * authorized-keys provider accepts.
 */
public record SshPublicKey(String type, String base64, String comment, String fingerprint) {

    public static final String ED25519 = "ssh-ed25519";

    public static SshPublicKey parse(String line) {
        String[] parts = line.strip().split("\\s+", 3);
        if (parts.length < 2) {
            throw new AlknetException(ErrorCode.INVALID_KEY, "expected an OpenSSH public key line such as 'ssh-ed25519 AAAA… comment'");
        }
        if (!ED25519.equals(parts[0])) {
            throw new AlknetException(ErrorCode.INVALID_KEY, "only ssh-ed25519 keys are accepted, not " + parts[0]);
        }
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(parts[1]);
        } catch (IllegalArgumentException e) {
            throw new AlknetException(ErrorCode.INVALID_KEY, "the key is not base64: " + e.getMessage());
        }
        ByteBuffer buffer = ByteBuffer.wrap(blob);
        if (blob.length != 51 || buffer.getInt() != ED25519.length()
                || !ED25519.equals(new String(blob, 4, ED25519.length(), StandardCharsets.US_ASCII))) {
            throw new AlknetException(ErrorCode.INVALID_KEY, "the key's data is not an ssh-ed25519 public key");
        }
        return new SshPublicKey(parts[0], parts[1], parts.length > 2 ? parts[2].strip() : "", fingerprint(blob));
    }

    /** OpenSSH's {@code SHA256:} fingerprint of a key blob. */
    public static String fingerprint(byte[] blob) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
