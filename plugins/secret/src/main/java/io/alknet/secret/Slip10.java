package io.alknet.secret;

import io.alknet.secret.internal.Secp256k1;
import io.alknet.secret.internal.Wipe;

import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Objects;

/**
 * SLIP-0010 hierarchical derivation (satoshilabs/slips, slip-0010.md) for ed25519 (hardened only) and secp256k1
 * (identical to BIP32), with the JDK's HMAC-SHA512. Every intermediate node is wiped as soon as its child exists.
 *
 * <p>Stateless and thread-safe.
 */
public final class Slip10 {

    /** The curves alknet derives keys on, with the HMAC key SLIP-0010 assigns to each. */
    public enum Curve {
        /** Ed25519 identities, host keys, the encryption and password trees: hardened derivation only. */
        ED25519("ed25519 seed"),
        /** secp256k1 (Ethereum): BIP32-compatible, hardened and normal derivation. */
        SECP256K1("Bitcoin seed");

        private final byte[] hmacKey;

        Curve(String hmacKey) {
            this.hmacKey = hmacKey.getBytes(StandardCharsets.US_ASCII);
        }
    }

    private Slip10() {
    }

    /** The master node of {@code seed} (16 to 64 bytes) on {@code curve}; the caller closes it. */
    public static ExtendedKey master(Curve curve, byte[] seed) {
        Objects.requireNonNull(curve, "curve");
        if (seed.length < 16 || seed.length > 64) {
            throw new SecretException(SecretException.INVALID_INPUT, "a SLIP-0010 seed is 16 to 64 bytes; got " + seed.length);
        }
        byte[] i = new byte[64];
        byte[] data = seed.clone();
        try {
            while (true) {
                hmac(curve.hmacKey, i, data);
                byte[] key = java.util.Arrays.copyOfRange(i, 0, 32);
                if (curve == Curve.ED25519 || Secp256k1.isValidPrivateKey(key)) {
                    return new ExtendedKey(curve, key, java.util.Arrays.copyOfRange(i, 32, 64));
                }
                // an invalid secp256k1 master key (probability below 2^-127): SLIP-0010 retries with S := I
                Wipe.bytes(key, data);
                data = i.clone();
            }
        } finally {
            Wipe.bytes(i, data);
        }
    }

    /** The node at {@code path} below the master node of {@code seed}; the caller closes it. */
    public static ExtendedKey derive(Curve curve, byte[] seed, DerivationPath path) {
        Objects.requireNonNull(path, "path");
        if (curve == Curve.ED25519) {
            requireHardened(path);
        }
        ExtendedKey node = master(curve, seed);
        for (int level = 0; level < path.depth(); level++) {
            ExtendedKey child = child(node, path.index(level));
            node.close();
            node = child;
        }
        return node;
    }

    /** The child of {@code parent} at {@code index} (with {@link DerivationPath#HARDENED} set for a hardened child). */
    public static ExtendedKey child(ExtendedKey parent, int index) {
        boolean hardened = (index & DerivationPath.HARDENED) != 0;
        if (parent.curve() == Curve.ED25519 && !hardened) {
            throw new SecretException(SecretException.INVALID_PATH, "ed25519 derivation is hardened only (SLIP-0010): index "
                    + index + " needs a ' mark");
        }
        byte[] data = new byte[37];
        byte[] i = new byte[64];
        byte[] publicKey = null;
        try {
            if (hardened) {
                System.arraycopy(parent.keyBytes(), 0, data, 1, 32);
            } else {
                publicKey = parent.serializedPublicKey();
                System.arraycopy(publicKey, 0, data, 0, 33);
            }
            putIndex(data, 33, index);
            hmac(parent.chainCodeBytes(), i, data);
            if (parent.curve() == Curve.ED25519) {
                return new ExtendedKey(Curve.ED25519, java.util.Arrays.copyOfRange(i, 0, 32), java.util.Arrays.copyOfRange(i, 32, 64));
            }
            byte[] key = new byte[32];
            byte[] left = new byte[32];
            try {
                while (true) {
                    System.arraycopy(i, 0, left, 0, 32);
                    if (Secp256k1.addPrivateKeys(left, parent.keyBytes(), key)) {
                        return new ExtendedKey(Curve.SECP256K1, key.clone(), java.util.Arrays.copyOfRange(i, 32, 64));
                    }
                    // I_L >= n or a zero key: SLIP-0010 hashes again with 0x01 || I_R || ser32(i)
                    data[0] = 1;
                    System.arraycopy(i, 32, data, 1, 32);
                    putIndex(data, 33, index);
                    hmac(parent.chainCodeBytes(), i, data);
                }
            } finally {
                Wipe.bytes(key, left);
            }
        } finally {
            Wipe.bytes(data, i, publicKey);
        }
    }

    /** @throws SecretException {@code INVALID_PATH} naming the first level that is not hardened */
    static void requireHardened(DerivationPath path) {
        for (int level = 0; level < path.depth(); level++) {
            if (!path.isHardened(level)) {
                throw new SecretException(SecretException.INVALID_PATH, "derivation path " + path + " is not fully hardened: ed25519 "
                        + "derivation (SLIP-0010) is hardened only, so level " + (level + 1) + " needs a ' mark");
            }
        }
    }

    private static void putIndex(byte[] data, int offset, int index) {
        data[offset] = (byte) (index >>> 24);
        data[offset + 1] = (byte) (index >>> 16);
        data[offset + 2] = (byte) (index >>> 8);
        data[offset + 3] = (byte) index;
    }

    private static void hmac(byte[] key, byte[] out, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA512");
            mac.init(new SecretKeySpec(key, "HmacSHA512"));
            mac.update(data);
            mac.doFinal(out, 0);
        } catch (ShortBufferException e) {
            throw new IllegalStateException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no HmacSHA512", e);
        }
    }
}
