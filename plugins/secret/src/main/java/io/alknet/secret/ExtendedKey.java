package io.alknet.secret;

import io.alknet.secret.internal.Secp256k1;
import io.alknet.secret.internal.Wipe;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

import java.util.Objects;

/**
 * A node of a SLIP-0010 tree: a 32-byte private key and a 32-byte chain code, on one curve. Both are secret;
 * {@link #close()} wipes them, and {@link #toString()} shows neither.
 *
 * <p>Not thread-safe.
 */
public final class ExtendedKey implements AutoCloseable {

    private final Slip10.Curve curve;
    private final byte[] key;
    private final byte[] chainCode;

    /** Takes ownership of both arrays. */
    ExtendedKey(Slip10.Curve curve, byte[] key, byte[] chainCode) {
        this.curve = Objects.requireNonNull(curve, "curve");
        this.key = key;
        this.chainCode = chainCode;
    }

    public Slip10.Curve curve() {
        return curve;
    }

    /** The private key (for ed25519 the 32-byte RFC 8032 secret, for secp256k1 the scalar), as a copy the caller wipes. */
    public byte[] privateKey() {
        return key.clone();
    }

    /** The chain code, as a copy the caller wipes. */
    public byte[] chainCode() {
        return chainCode.clone();
    }

    /** The public key: 32 bytes (RFC 8032) for ed25519, 33 bytes (compressed) for secp256k1. */
    public byte[] publicKey() {
        return switch (curve) {
            case ED25519 -> {
                byte[] publicKey = new byte[Ed25519.PUBLIC_KEY_SIZE];
                Ed25519.generatePublicKey(key, 0, publicKey, 0);
                yield publicKey;
            }
            case SECP256K1 -> Secp256k1.publicKey(key, true);
        };
    }

    /** The key as SLIP-0010 serializes it, ser<sub>P</sub>: ed25519 keys get a leading 0x00. */
    public byte[] serializedPublicKey() {
        byte[] publicKey = publicKey();
        if (curve == Slip10.Curve.SECP256K1) {
            return publicKey;
        }
        byte[] serialized = new byte[publicKey.length + 1];
        System.arraycopy(publicKey, 0, serialized, 1, publicKey.length);
        return serialized;
    }

    /** Internal: the key itself, for derivation without a copy. */
    byte[] keyBytes() {
        return key;
    }

    /** Internal: the chain code itself. */
    byte[] chainCodeBytes() {
        return chainCode;
    }

    @Override
    public void close() {
        Wipe.bytes(key, chainCode);
    }

    @Override
    public String toString() {
        return "ExtendedKey[" + curve + ", ***]";
    }
}
