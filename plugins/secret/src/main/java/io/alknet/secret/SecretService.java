package io.alknet.secret;

import io.alknet.secret.internal.Aead;
import io.alknet.secret.internal.Wipe;

import javax.crypto.AEADBadTagException;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The secret service (spec services.md section 7, ADR-038): the only holder of the seed. <em>Locked</em> it holds
 * nothing and refuses every derivation, encryption and decryption with {@code LOCKED}; {@link #unlock} (the seed
 * file and its passphrase) or {@link #unlockWithMnemonic} make it <em>Unlocked</em>; {@link #lock} wipes the seed and
 * every cached derived key and returns to Locked. Derived private keys are cached for a TTL (default one hour) and
 * wiped when they expire. Secrets live only in {@code byte[]}/{@code char[]} that are filled with zeros before they
 * are dropped; docs/secret.md says what that can and cannot promise on the JVM.
 *
 * <p>Thread-safe: every operation holds the service's monitor while it touches the seed or the cache, so a
 * {@link #lock} waits for derivations in progress and none starts after it. Operations may block briefly (key
 * derivation; Argon2id when unlocking from the seed file takes about a second): call them from virtual threads, never
 * from an I/O thread.
 */
public final class SecretService implements AutoCloseable {

    /** How long a derived key stays cached unless configured otherwise (spec OQ-SVC-04). */
    public static final Duration DEFAULT_CACHE_TTL = Duration.ofHours(1);

    private static final System.Logger LOG = System.getLogger("alknet.secret");

    /** Told about Unlock and Lock, after the fact, on the thread that did it. */
    public interface Listener {
        /** The service is unlocked; {@code service} may be used from here. */
        void unlocked(SecretService service);

        /** The service locked; drop everything obtained from it. */
        void locked();
    }

    private record CacheKey(Slip10.Curve curve, DerivationPath path) {
    }

    private record Cached(byte[] privateKey, byte[] publicKey, Instant expires) {
    }

    private final Path seedFile;
    private final Clock clock;
    private final Duration cacheTtl;
    private final SecureRandom random;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final Map<CacheKey, Cached> cache = new HashMap<>();
    private byte[] seed;

    /**
     * @param seedFile the encrypted seed that {@link #unlock} opens (see {@link SeedFile#in})
     * @param clock    for the cache's TTL
     * @param cacheTtl how long a derived key stays cached; zero caches nothing
     * @param random   IVs and salts
     */
    public SecretService(Path seedFile, Clock clock, Duration cacheTtl, SecureRandom random) {
        this.seedFile = Objects.requireNonNull(seedFile, "seedFile");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.cacheTtl = Objects.requireNonNull(cacheTtl, "cacheTtl");
        this.random = Objects.requireNonNull(random, "random");
        if (cacheTtl.isNegative()) {
            throw new IllegalArgumentException("cacheTtl must not be negative");
        }
    }

    /** A service for the seed file of {@code stateDirectory}, with the default TTL. */
    public static SecretService forStateDirectory(Path stateDirectory, Clock clock) {
        return new SecretService(SeedFile.in(stateDirectory), clock, DEFAULT_CACHE_TTL, new SecureRandom());
    }

    public Path seedFile() {
        return seedFile;
    }

    public void addListener(Listener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void removeListener(Listener listener) {
        listeners.remove(listener);
    }

    /**
     * Opens the seed file with {@code passphrase} (only read; the caller wipes it). Unlocking an unlocked service
     * replaces its seed; a failure leaves the state as it was.
     *
     * @throws SecretException {@code NO_SEED}, {@code WRONG_PASSPHRASE} or {@code INVALID_INPUT} (a damaged file)
     */
    public void unlock(char[] passphrase) throws IOException {
        byte[] opened;
        try {
            opened = SeedFile.open(seedFile, passphrase);
        } catch (SecretException e) {
            LOG.log(System.Logger.Level.WARNING, "secret.unlock.failed source=seed-file reason={0}", e.code());
            throw e;
        }
        install(opened, "seed-file");
    }

    /**
     * Unlocks with a mnemonic (validated: English words, checksum) and an optional BIP39 passphrase (empty for none);
     * nothing is written to disk. Both arrays are only read; the caller wipes them.
     *
     * @throws SecretException {@code INVALID_MNEMONIC}
     */
    public void unlockWithMnemonic(char[] mnemonic, char[] bip39Passphrase) {
        byte[] derived;
        try (Mnemonic parsed = Mnemonic.parse(mnemonic)) {
            derived = parsed.seed(bip39Passphrase);
        } catch (SecretException e) {
            LOG.log(System.Logger.Level.WARNING, "secret.unlock.failed source=mnemonic reason={0}", e.code());
            throw e;
        }
        install(derived, "mnemonic");
    }

    /** Unlocks with a seed of 16 to 64 bytes (copied; the caller wipes its array). */
    public void unlockWithSeed(byte[] seed) {
        if (seed.length < 16 || seed.length > 64) {
            throw new SecretException(SecretException.INVALID_INPUT, "a seed is 16 to 64 bytes; got " + seed.length);
        }
        install(seed.clone(), "seed");
    }

    private void install(byte[] newSeed, String source) {
        synchronized (this) {
            wipeAll();
            seed = newSeed;
        }
        LOG.log(System.Logger.Level.INFO, "secret.unlocked source={0}", source);
        listeners.forEach(listener -> listener.unlocked(this));
    }

    /** Wipes the seed and every cached key and returns to Locked; locking a locked service does nothing. */
    public void lock() {
        int wiped;
        synchronized (this) {
            if (seed == null) {
                return;
            }
            wiped = cache.size();
            wipeAll();
        }
        LOG.log(System.Logger.Level.INFO, "secret.locked wiped_keys={0}", wiped);
        listeners.forEach(Listener::locked);
    }

    public synchronized boolean isUnlocked() {
        return seed != null;
    }

    /**
     * The Ed25519 key at {@code path} (hardened levels only).
     *
     * @throws SecretException {@code LOCKED}, or {@code INVALID_PATH} for a level that is not hardened
     */
    public DerivedKey deriveEd25519(DerivationPath path) {
        Cached key = derive(Slip10.Curve.ED25519, path);
        return new DerivedKey(KeyType.ED25519, path, key.publicKey(), key.privateKey());
    }

    /**
     * The secp256k1 key at {@code path} (BIP32: normal and hardened levels), e.g. {@link KeyPaths#ETHEREUM}.
     *
     * @throws SecretException {@code LOCKED}
     */
    public DerivedKey deriveSecp256k1(DerivationPath path) {
        Cached key = derive(Slip10.Curve.SECP256K1, path);
        return new DerivedKey(KeyType.SECP256K1, path, key.publicKey(), key.privateKey());
    }

    /**
     * The AES-256 key of {@code keyVersion}: the 32-byte ed25519 key at {@code m/74'/2'/0'/keyVersion'}.
     *
     * @throws SecretException {@code LOCKED}, or {@code INVALID_INPUT} for a negative version
     */
    public DerivedKey deriveEncryptionKey(int keyVersion) {
        DerivationPath path = KeyPaths.encryptionKey(keyVersion);
        Cached key = derive(Slip10.Curve.ED25519, path);
        return new DerivedKey(KeyType.AES256_GCM, path, new byte[0], key.privateKey());
    }

    /**
     * {@code length} (1 to 1024) deterministic password bytes for {@code name}, from the key at
     * {@link KeyPaths#password(String)}; an array the caller wipes.
     *
     * @throws SecretException {@code LOCKED}, or {@code INVALID_INPUT} for a bad name or length
     */
    public byte[] derivePassword(String name, int length) {
        requireUnlocked();
        if (length < 1 || length > 1024) {
            throw new SecretException(SecretException.INVALID_INPUT, "a password is 1 to 1024 bytes long; got " + length);
        }
        Cached key = derive(Slip10.Curve.ED25519, KeyPaths.password(name));
        try {
            return Aead.password(key.privateKey(), length);
        } finally {
            Wipe.bytes(key.privateKey());
        }
    }

    /**
     * Encrypts {@code plaintext} under key version {@code keyVersion}: a random 16-byte salt and 12-byte IV per call.
     *
     * @throws SecretException {@code LOCKED}, or {@code INVALID_INPUT} for a negative version
     */
    public EncryptedData encrypt(byte[] plaintext, int keyVersion) {
        Objects.requireNonNull(plaintext, "plaintext");
        byte[] messageKey = null;
        Cached key = derive(Slip10.Curve.ED25519, KeyPaths.encryptionKey(keyVersion));
        try {
            byte[] salt = Aead.random(random, Aead.SALT_BYTES);
            byte[] iv = Aead.random(random, Aead.IV_BYTES);
            messageKey = Aead.messageKey(key.privateKey(), salt);
            return new EncryptedData(keyVersion, salt, iv, Aead.seal(messageKey, iv, Aead.associatedData(keyVersion), plaintext));
        } finally {
            Wipe.bytes(messageKey, key.privateKey());
        }
    }

    /**
     * Decrypts what {@link #encrypt} made with the same seed; an array the caller wipes.
     *
     * @throws SecretException {@code LOCKED}, or {@code DECRYPTION_FAILED} when anything was altered (ciphertext, IV,
     *                         salt, key version) or another seed encrypted it
     */
    public byte[] decrypt(EncryptedData encrypted) {
        Objects.requireNonNull(encrypted, "encrypted");
        byte[] messageKey = null;
        Cached key = derive(Slip10.Curve.ED25519, KeyPaths.encryptionKey(encrypted.keyVersion()));
        try {
            messageKey = Aead.messageKey(key.privateKey(), encrypted.salt());
            return Aead.open(messageKey, encrypted.iv(), Aead.associatedData(encrypted.keyVersion()), encrypted.data());
        } catch (AEADBadTagException e) {
            throw new SecretException(SecretException.DECRYPTION_FAILED, "the encrypted data does not authenticate: it was altered, "
                    + "or another seed or key version encrypted it");
        } finally {
            Wipe.bytes(messageKey, key.privateKey());
        }
    }

    /** Test hook: how many derived keys are cached now. */
    synchronized int cachedKeys() {
        return cache.size();
    }

    /** Test hook: the cached private key arrays themselves (to see that Lock and expiry fill them with zeros). */
    synchronized List<byte[]> cachedKeyArrays() {
        return cache.values().stream().map(Cached::privateKey).toList();
    }

    /**
     * The key at {@code path}, from the cache or derived (and then cached). What it returns is a copy the caller owns
     * and wipes, so a {@link #lock} on another thread can never change it under the caller.
     */
    private synchronized Cached derive(Slip10.Curve curve, DerivationPath path) {
        requireUnlocked();
        Instant now = clock.instant();
        expire(now);
        CacheKey cacheKey = new CacheKey(curve, path);
        Cached cached = cache.get(cacheKey);
        if (cached == null) {
            try (ExtendedKey node = Slip10.derive(curve, seed, path)) {
                cached = new Cached(node.privateKey(), node.publicKey(), now.plus(cacheTtl));
            }
            if (cacheTtl.isZero()) {
                return cached;
            }
            cache.put(cacheKey, cached);
        }
        return new Cached(cached.privateKey().clone(), cached.publicKey(), cached.expires());
    }

    private void expire(Instant now) {
        for (Iterator<Cached> entries = cache.values().iterator(); entries.hasNext(); ) {
            Cached entry = entries.next();
            if (!now.isBefore(entry.expires())) {
                Wipe.bytes(entry.privateKey());
                entries.remove();
            }
        }
    }

    private synchronized void requireUnlocked() {
        if (seed == null) {
            throw SecretException.locked();
        }
    }

    private void wipeAll() {
        cache.values().forEach(entry -> Wipe.bytes(entry.privateKey()));
        cache.clear();
        Wipe.bytes(seed);
        seed = null;
    }

    /** {@link #lock()}: a service that goes out of use wipes what it holds. */
    @Override
    public void close() {
        lock();
    }

    @Override
    public String toString() {
        return "SecretService[" + (isUnlocked() ? "unlocked" : "locked") + ", " + seedFile + "]";
    }
}
