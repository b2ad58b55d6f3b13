package io.alknet.api.identity;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The signed token of the spec (ADR-023): a credential for interfaces without SSH (HTTP, raw framing),
 * made from the same Ed25519 key a user logs in with.
 *
 * <pre>
 * key_id (32 bytes) ‖ timestamp (8 bytes, big-endian Unix seconds) ‖ Ed25519 signature over the first 40 bytes (64)
 * </pre>
 *
 * encoded as base64url without padding (139 characters). {@code key_id} is the SHA-256 of the SSH wire
 * encoding of the public key: the digest behind the key's {@code SHA256:} fingerprint (spec decision 13).
 * A token proves possession of the key at {@code timestamp}; verifiers accept it within a window around
 * their clock (default ±300 s). There is no replay cache: keep the window short.
 *
 * <p>Immutable and thread-safe. {@link #toString()} never shows the token.
 */
public final class AuthToken {

    /** Raw length: key id, timestamp, signature. */
    public static final int LENGTH = 32 + 8 + 64;
    /** The window {@code |now - timestamp|} a verifier accepts by default. */
    public static final Duration DEFAULT_MAX_AGE = Duration.ofSeconds(300);

    private static final byte[] ED25519_X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    private final byte[] keyId;
    private final long timestamp;
    private final byte[] signature;

    private AuthToken(byte[] keyId, long timestamp, byte[] signature) {
        this.keyId = keyId;
        this.timestamp = timestamp;
        this.signature = signature;
    }

    /**
     * Decodes a token.
     *
     * @throws AlknetException {@code AUTH_REJECTED} when it is not base64url of exactly {@value #LENGTH} bytes
     */
    public static AuthToken parse(String encoded) {
        Objects.requireNonNull(encoded, "encoded");
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(encoded.strip());
        } catch (IllegalArgumentException e) {
            throw new AlknetException(ErrorCode.AUTH_REJECTED, "the token is not base64url");
        }
        if (raw.length != LENGTH) {
            throw new AlknetException(ErrorCode.AUTH_REJECTED, "the token has " + raw.length + " bytes, expected " + LENGTH);
        }
        ByteBuffer buffer = ByteBuffer.wrap(raw);
        byte[] keyId = new byte[32];
        buffer.get(keyId);
        long timestamp = buffer.getLong();
        byte[] signature = new byte[64];
        buffer.get(signature);
        return new AuthToken(keyId, timestamp, signature);
    }

    /**
     * Signs a new token.
     *
     * @param publicKeyBlob the SSH wire encoding of the signer's Ed25519 public key
     * @param signer        the matching Ed25519 private key
     * @param at            the timestamp to embed (normally now)
     */
    public static AuthToken sign(byte[] publicKeyBlob, PrivateKey signer, Instant at) {
        byte[] keyId = keyId(publicKeyBlob);
        long timestamp = at.getEpochSecond();
        try {
            Signature ed25519 = Signature.getInstance("Ed25519");
            ed25519.initSign(signer);
            ed25519.update(signedBytes(keyId, timestamp));
            return new AuthToken(keyId, timestamp, ed25519.sign());
        } catch (GeneralSecurityException e) {
            throw new AlknetException(ErrorCode.INVALID_KEY, "cannot sign a token with this key: " + e.getMessage(), e);
        }
    }

    /** The token's key id: SHA-256 of the SSH wire encoding of a public key. */
    public static byte[] keyId(byte[] publicKeyBlob) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(publicKeyBlob);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** The key id as the key's fingerprint, {@code SHA256:} + unpadded base64, for lookups and logs. */
    public String fingerprint() {
        return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(keyId);
    }

    public byte[] keyId() {
        return keyId.clone();
    }

    public Instant timestamp() {
        return Instant.ofEpochSecond(timestamp);
    }

    /** True when {@code key_id} is the digest of {@code publicKeyBlob} (compared in constant time). */
    public boolean isFor(byte[] publicKeyBlob) {
        return MessageDigest.isEqual(keyId, keyId(publicKeyBlob));
    }

    /** True when {@code now} is within {@code maxAge} of the token's timestamp, either way. */
    public boolean isFresh(Instant now, Duration maxAge) {
        long skew = Math.abs(now.getEpochSecond() - timestamp);
        return timestamp >= 0 && skew <= maxAge.toSeconds();
    }

    /**
     * Checks the signature against an Ed25519 key given as its SSH wire encoding. Checks the key id too:
     * a token signed by this key but naming another key id is not valid.
     */
    public boolean verify(byte[] publicKeyBlob) {
        if (!isFor(publicKeyBlob)) {
            return false;
        }
        try {
            Signature ed25519 = Signature.getInstance("Ed25519");
            ed25519.initVerify(ed25519PublicKey(publicKeyBlob));
            ed25519.update(signedBytes(keyId, timestamp));
            return ed25519.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** The token in its wire form (base64url, no padding). */
    public String encode() {
        ByteBuffer buffer = ByteBuffer.allocate(LENGTH).put(keyId).putLong(timestamp).put(signature);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(buffer.array());
    }

    /**
     * An Ed25519 public key from its SSH wire encoding ({@code string "ssh-ed25519", string key[32]}).
     *
     * @throws IllegalArgumentException when the blob is not exactly that
     */
    public static PublicKey ed25519PublicKey(byte[] publicKeyBlob) throws GeneralSecurityException {
        ByteBuffer buffer = ByteBuffer.wrap(publicKeyBlob);
        try {
            byte[] type = readString(buffer);
            byte[] key = readString(buffer);
            if (!"ssh-ed25519".equals(new String(type, StandardCharsets.US_ASCII)) || key.length != 32 || buffer.hasRemaining()) {
                throw new IllegalArgumentException("not an ssh-ed25519 public key");
            }
            byte[] encoded = Arrays.copyOf(ED25519_X509_PREFIX, ED25519_X509_PREFIX.length + 32);
            System.arraycopy(key, 0, encoded, ED25519_X509_PREFIX.length, 32);
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(encoded));
        } catch (java.nio.BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated ssh-ed25519 public key", e);
        }
    }

    private static byte[] readString(ByteBuffer buffer) {
        int length = buffer.getInt();
        if (length < 0 || length > buffer.remaining()) {
            throw new IllegalArgumentException("bad length in ssh-ed25519 public key");
        }
        byte[] bytes = new byte[length];
        buffer.get(bytes);
        return bytes;
    }

    private static byte[] signedBytes(byte[] keyId, long timestamp) {
        return ByteBuffer.allocate(40).put(keyId).putLong(timestamp).array();
    }

    @Override
    public String toString() {
        return "AuthToken[" + fingerprint() + " at " + timestamp() + "]";
    }
}
