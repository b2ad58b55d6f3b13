package io.alknet.secret;

import io.alknet.secret.internal.Utf8;
import io.alknet.secret.internal.Wipe;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;

/**
 * alknet's path table (spec services.md 7.2): coin type 74' (claimed for alknet, unallocated in SLIP-0044), with
 * account 0' for identities, 1' for passwords and 2' for encryption keys, plus Ethereum's standard path. Every
 * path but Ethereum's is on the ed25519 tree (docs/decisions/0007-secret-derivation-choices.md).
 */
public final class KeyPaths {

    /** The primary identity key pair (alknet auth). */
    public static final DerivationPath IDENTITY = DerivationPath.parse("m/74'/0'/0'/0'");
    /** The SSH host key. */
    public static final DerivationPath SSH_HOST_KEY = DerivationPath.parse("m/74'/0'/1'/0'");
    /** The Ethereum signing key (BIP44, secp256k1). */
    public static final DerivationPath ETHEREUM = DerivationPath.parse("m/44'/60'/0'/0/0");

    /** Account 0': identity and host keys. */
    public static final DerivationPath IDENTITIES = DerivationPath.parse("m/74'/0'");
    /** Account 1': site passwords. */
    public static final DerivationPath PASSWORDS = DerivationPath.parse("m/74'/1'");
    /** Account 2': encryption keys, one per key version. */
    public static final DerivationPath ENCRYPTION = DerivationPath.parse("m/74'/2'");
    /** Ethereum's BIP44 branch. */
    public static final DerivationPath ETHEREUM_BRANCH = DerivationPath.parse("m/44'/60'");

    /** The longest name a password is derived for. */
    public static final int MAX_NAME_LENGTH = 256;

    private static final DerivationPath PASSWORD_PARENT = DerivationPath.parse("m/74'/1'/0'");
    private static final DerivationPath ENCRYPTION_PARENT = DerivationPath.parse("m/74'/2'/0'");
    private static final DerivationPath DEVICE_PARENT = DerivationPath.parse("m/74'/0'/0'");

    private KeyPaths() {
    }

    /**
     * Checks that {@code path} may name an Ed25519 signing key handed out as such: below the master, fully hardened, and
     * outside the password and encryption-key trees (whose keys are handed out only as passwords and key ids).
     *
     * @throws SecretException {@code INVALID_PATH} saying which rule it breaks
     */
    public static DerivationPath requireSigningKeyPath(DerivationPath path) {
        Slip10.requireHardened(path);
        if (path.depth() == 0) {
            throw new SecretException(SecretException.INVALID_PATH, "the master key is not handed out; give a path such as m/74'/0'/0'/0'");
        }
        if (path.startsWith(PASSWORDS)) {
            throw new SecretException(SecretException.INVALID_PATH, "derivation path " + path
                    + " is in the password tree m/74'/1' (use /secret/derive/password)");
        }
        if (path.startsWith(ENCRYPTION)) {
            throw new SecretException(SecretException.INVALID_PATH, "derivation path " + path
                    + " is in the encryption-key tree m/74'/2' (use /secret/derive/encryption-key)");
        }
        return path;
    }

    /** Worker or device identity {@code n}: {@code m/74'/0'/0'/n'} (0 is the primary identity). */
    public static DerivationPath device(int n) {
        return DEVICE_PARENT.child(n, true);
    }

    /** The key of encryption key version {@code version}: {@code m/74'/2'/0'/version'}. */
    public static DerivationPath encryptionKey(int version) {
        if (version < 0) {
            throw new SecretException(SecretException.INVALID_INPUT, "a key version is 0 to 2147483647; got " + version);
        }
        return ENCRYPTION_PARENT.child(version, true);
    }

    /** The key version an encryption-key path names, or -1 when the path is not {@code m/74'/2'/0'/n'}. */
    public static int encryptionKeyVersion(DerivationPath path) {
        return path.depth() == 4 && path.startsWith(ENCRYPTION_PARENT) && path.isHardened(3)
                ? path.index(3) & ~DerivationPath.HARDENED : -1;
    }

    /** The path of the password for {@code name}: {@code m/74'/1'/0'/index'} with {@link #passwordIndex}. */
    public static DerivationPath password(String name) {
        return PASSWORD_PARENT.child(passwordIndex(name), true);
    }

    /**
     * How a name (a site, a service) becomes a hardened index: the first four bytes of SHA-256 over the UTF-8 of its
     * NFC form, big-endian, with the top bit cleared.
     */
    public static int passwordIndex(String name) {
        if (name == null || name.isBlank() || name.length() > MAX_NAME_LENGTH) {
            throw new SecretException(SecretException.INVALID_INPUT, "a password name is 1 to " + MAX_NAME_LENGTH
                    + " characters, not blank (e.g. github.com)");
        }
        char[] normalized = Utf8.normalize(name.toCharArray(), Normalizer.Form.NFC);
        byte[] bytes = Utf8.encode(normalized);
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(bytes);
            return ((hash[0] & 0xff) << 24 | (hash[1] & 0xff) << 16 | (hash[2] & 0xff) << 8 | hash[3] & 0xff) & 0x7fff_ffff;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        } finally {
            Wipe.chars(normalized);
            Wipe.bytes(bytes);
        }
    }
}
