package io.alknet.secret.internal;

import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.KeccakDigest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

import java.math.BigInteger;
import java.util.HexFormat;

/**
 * secp256k1 arithmetic from BouncyCastle: public keys, the scalar addition of BIP32 child derivation, Ethereum
 * addresses. Private scalars pass through {@link BigInteger}s here, which are immutable and cannot be wiped; they
 * become garbage at once (docs/secret.md).
 */
public final class Secp256k1 {

    private static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256k1");
    /** The order n of the group. */
    public static final BigInteger N = CURVE.getN();

    private Secp256k1() {
    }

    /** True when {@code key} (32 bytes, big-endian) is a valid private key: 0 &lt; k &lt; n. */
    public static boolean isValidPrivateKey(byte[] key) {
        BigInteger k = new BigInteger(1, key);
        return k.signum() > 0 && k.compareTo(N) < 0;
    }

    /** point(k) serialized compressed (33 bytes) or uncompressed (65 bytes). */
    public static byte[] publicKey(byte[] privateKey, boolean compressed) {
        ECPoint point = new FixedPointCombMultiplier().multiply(CURVE.getG(), new BigInteger(1, privateKey)).normalize();
        return point.getEncoded(compressed);
    }

    /** The uncompressed form of a compressed or uncompressed public key. */
    public static byte[] uncompressed(byte[] publicKey) {
        return CURVE.getCurve().decodePoint(publicKey).normalize().getEncoded(false);
    }

    /**
     * BIP32's child key: (il + parent) mod n into {@code out} (32 bytes), or false when il &ge; n or the sum is 0 (the
     * caller then derives again, as SLIP-0010 says).
     */
    public static boolean addPrivateKeys(byte[] il, byte[] parent, byte[] out) {
        BigInteger left = new BigInteger(1, il);
        if (left.compareTo(N) >= 0) {
            return false;
        }
        BigInteger sum = left.add(new BigInteger(1, parent)).mod(N);
        if (sum.signum() == 0) {
            return false;
        }
        byte[] bytes = sum.toByteArray();
        try {
            java.util.Arrays.fill(out, (byte) 0);
            int length = Math.min(bytes.length, 32);
            System.arraycopy(bytes, bytes.length - length, out, 32 - length, length);
            return true;
        } finally {
            Wipe.bytes(bytes);
        }
    }

    /** The EIP-55 checksummed Ethereum address ({@code 0x…}) of a public key. */
    public static String ethereumAddress(byte[] publicKey) {
        byte[] point = uncompressed(publicKey);
        byte[] hash = keccak256(point, 1, point.length - 1);
        String hex = HexFormat.of().formatHex(hash, hash.length - 20, hash.length);
        byte[] checksum = keccak256(hex.getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, hex.length());
        StringBuilder address = new StringBuilder("0x");
        for (int i = 0; i < hex.length(); i++) {
            char c = hex.charAt(i);
            int nibble = (checksum[i / 2] >>> (i % 2 == 0 ? 4 : 0)) & 0xf;
            address.append(c >= 'a' && nibble >= 8 ? Character.toUpperCase(c) : c);
        }
        return address.toString();
    }

    private static byte[] keccak256(byte[] data, int offset, int length) {
        KeccakDigest digest = new KeccakDigest(256);
        digest.update(data, offset, length);
        byte[] out = new byte[32];
        digest.doFinal(out, 0);
        return out;
    }
}
