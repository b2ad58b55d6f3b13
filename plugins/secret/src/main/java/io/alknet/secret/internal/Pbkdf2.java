package io.alknet.secret.internal;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;

/**
 * PBKDF2 (RFC 8018, section 5.2) with the JDK's HMAC-SHA512. The JDK's own {@code PBKDF2WithHmacSHA512} key object
 * keeps the derived key and the password reachable from a {@link java.lang.ref.Cleaner} until a garbage collection
 * happens to run it; a seed must be gone when Lock returns, so the few lines of the loop are ours and every buffer
 * is wiped here.
 */
public final class Pbkdf2 {

    private static final int BLOCK = 64;

    private Pbkdf2() {
    }

    /** {@code length} bytes of PBKDF2-HMAC-SHA512 over {@code password} (not empty) and {@code salt}. */
    public static byte[] hmacSha512(byte[] password, byte[] salt, int iterations, int length) {
        if (password.length == 0) {
            throw new IllegalArgumentException("PBKDF2 needs a non-empty password");
        }
        byte[] out = new byte[length];
        byte[] u = new byte[BLOCK];
        byte[] t = new byte[BLOCK];
        try {
            Mac mac = Mac.getInstance("HmacSHA512");
            mac.init(new SecretKeySpec(password, "HmacSHA512"));
            for (int block = 1, offset = 0; offset < length; block++, offset += BLOCK) {
                mac.update(salt);
                mac.update(new byte[] {(byte) (block >>> 24), (byte) (block >>> 16), (byte) (block >>> 8), (byte) block});
                mac.doFinal(u, 0);
                System.arraycopy(u, 0, t, 0, BLOCK);
                for (int i = 1; i < iterations; i++) {
                    mac.update(u);
                    mac.doFinal(u, 0);
                    for (int j = 0; j < BLOCK; j++) {
                        t[j] ^= u[j];
                    }
                }
                System.arraycopy(t, 0, out, offset, Math.min(BLOCK, length - offset));
            }
            return out;
        } catch (GeneralSecurityException e) {
            Wipe.bytes(out);
            throw new IllegalStateException("the JDK has no HmacSHA512", e);
        } finally {
            Wipe.bytes(u, t);
        }
    }
}
