package io.alknet.secret.internal;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.KDF;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.HKDFParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;

/**
 * The symmetric primitives of the secret service, all from the JDK: HKDF (RFC 5869) and AES-256-GCM with a 128-bit
 * tag appended to the ciphertext. The constructions and their labels are fixed by
 * docs/decisions/0007-secret-derivation-choices.md; changing one changes every stored ciphertext or password.
 */
public final class Aead {

    public static final int SALT_BYTES = 16;
    public static final int IV_BYTES = 12;
    public static final int TAG_BITS = 128;
    private static final byte[] DATA_LABEL = "alknet/encrypted-data/v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PASSWORD_LABEL = "alknet/password/v1".getBytes(StandardCharsets.US_ASCII);

    private Aead() {
    }

    /** The per-message AES key: HKDF-SHA256(ikm = the version's key, salt, info = "alknet/encrypted-data/v1"). */
    public static byte[] messageKey(byte[] versionKey, byte[] salt) {
        return hkdf("HKDF-SHA256", versionKey, salt, DATA_LABEL, 32);
    }

    /** The associated data that binds the key version: "alknet/encrypted-data/v1" || ser32(version). */
    public static byte[] associatedData(int keyVersion) {
        byte[] aad = new byte[DATA_LABEL.length + 4];
        System.arraycopy(DATA_LABEL, 0, aad, 0, DATA_LABEL.length);
        aad[DATA_LABEL.length] = (byte) (keyVersion >>> 24);
        aad[DATA_LABEL.length + 1] = (byte) (keyVersion >>> 16);
        aad[DATA_LABEL.length + 2] = (byte) (keyVersion >>> 8);
        aad[DATA_LABEL.length + 3] = (byte) keyVersion;
        return aad;
    }

    /** {@code length} password bytes: HKDF-SHA512(ikm = the password node's key, no salt, info = "alknet/password/v1"). */
    public static byte[] password(byte[] key, int length) {
        return hkdf("HKDF-SHA512", key, null, PASSWORD_LABEL, length);
    }

    /** AES-256-GCM of {@code plaintext} under {@code key} with {@code iv} and {@code aad}: ciphertext || tag. */
    public static byte[] seal(byte[] key, byte[] iv, byte[] aad, byte[] plaintext) {
        try {
            return cipher(Cipher.ENCRYPT_MODE, key, iv, aad).doFinal(plaintext);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is not available: " + e.getMessage(), e);
        }
    }

    /**
     * Opens what {@link #seal} made.
     *
     * @throws AEADBadTagException when the ciphertext, IV or associated data were altered, or the key is another one
     */
    public static byte[] open(byte[] key, byte[] iv, byte[] aad, byte[] sealed) throws AEADBadTagException {
        if (iv.length != IV_BYTES || sealed.length < TAG_BITS / 8) {
            throw new AEADBadTagException("a " + IV_BYTES + "-byte IV and at least a tag are needed");
        }
        try {
            return cipher(Cipher.DECRYPT_MODE, key, iv, aad).doFinal(sealed);
        } catch (AEADBadTagException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is not available: " + e.getMessage(), e);
        }
    }

    private static Cipher cipher(int mode, byte[] key, byte[] iv, byte[] aad) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, iv));
        cipher.updateAAD(aad);
        return cipher;
    }

    /** {@code count} random bytes. */
    public static byte[] random(SecureRandom random, int count) {
        byte[] bytes = new byte[count];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] hkdf(String algorithm, byte[] ikm, byte[] salt, byte[] info, int length) {
        try {
            HKDFParameterSpec.Builder extract = HKDFParameterSpec.ofExtract().addIKM(ikm);
            if (salt != null) {
                extract.addSalt(salt);
            }
            return KDF.getInstance(algorithm).deriveData(extract.thenExpand(info, length));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " is not available: " + e.getMessage(), e);
        }
    }
}
