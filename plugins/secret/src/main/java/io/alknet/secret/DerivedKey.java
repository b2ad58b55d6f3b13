package io.alknet.secret;

import io.alknet.secret.internal.Wipe;

import java.util.Objects;

/**
 * A key the secret service derived: its type, its path, its public half (empty for a symmetric key) and its private
 * half, which {@link #close()} wipes. {@link #toString()} never shows the private half.
 *
 * <p>Not thread-safe; the caller owns it and closes it.
 */
public final class DerivedKey implements AutoCloseable {

    private final KeyType type;
    private final DerivationPath path;
    private final byte[] publicKey;
    private final byte[] privateKey;

    /** Takes ownership of {@code privateKey}. */
    DerivedKey(KeyType type, DerivationPath path, byte[] publicKey, byte[] privateKey) {
        this.type = Objects.requireNonNull(type, "type");
        this.path = Objects.requireNonNull(path, "path");
        this.publicKey = publicKey.clone();
        this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
    }

    public KeyType type() {
        return type;
    }

    public DerivationPath path() {
        return path;
    }

    /** Ed25519: 32 bytes (RFC 8032); secp256k1: 33 bytes (compressed); AES: empty. */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** Ed25519: the 32-byte secret (RFC 8032 seed); secp256k1: the 32-byte scalar; AES: the 32-byte key. A copy to wipe. */
    public byte[] privateKey() {
        return privateKey.clone();
    }

    @Override
    public void close() {
        Wipe.bytes(privateKey);
    }

    @Override
    public String toString() {
        return "DerivedKey[" + type.wireName() + " " + path + ", private key ***]";
    }
}
