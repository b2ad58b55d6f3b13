package io.alknet.secret;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Locked/Unlocked lifecycle (ADR-038), the derived-key cache, and AES-256-GCM {@code EncryptedData}. */
class SecretServiceTest {

    @TempDir
    Path dir;

    /** A clock the test moves. */
    static final class MovingClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private static void assertFails(String code, Runnable action) {
        assertThatThrownBy(action::run).isInstanceOfSatisfying(SecretException.class, e -> assertThat(e.code()).isEqualTo(code));
    }

    private static List<Consumer<SecretService>> everyOperation() {
        EncryptedData sample = new EncryptedData(0, new byte[16], new byte[12], new byte[32]);
        return List.of(
                service -> service.deriveEd25519(KeyPaths.IDENTITY),
                service -> service.deriveSecp256k1(KeyPaths.ETHEREUM),
                service -> service.deriveEncryptionKey(0),
                service -> service.derivePassword("github.com", 16),
                service -> service.encrypt(new byte[] {1}, 0),
                service -> service.decrypt(sample));
    }

    @Test
    void everyOperationFailsWithLockedBeforeUnlockAndAfterLock() {
        SecretService service = new SecretService(dir.resolve("seed"), Clock.systemUTC(), Duration.ofHours(1), new SecureRandom());
        for (Consumer<SecretService> operation : everyOperation()) {
            assertThatThrownBy(() -> operation.accept(service)).isInstanceOfSatisfying(SecretException.class, e -> {
                assertThat(e.code()).isEqualTo(SecretException.LOCKED);
                assertThat(e.getMessage()).contains("locked").contains("unlock");
            });
        }
        service.unlockWithMnemonic(AlknetVectorsTest.MNEMONIC.toCharArray(), new char[0]);
        everyOperation().subList(0, 5).forEach(operation -> operation.accept(service));
        service.lock();
        assertThat(service.isUnlocked()).isFalse();
        for (Consumer<SecretService> operation : everyOperation()) {
            assertFails(SecretException.LOCKED, () -> operation.accept(service));
        }
    }

    @Test
    void lockWipesTheSeedAndEveryCachedKeyAndUnlockRestoresTheSameKeys() {
        SecretService service = AlknetVectorsTest.unlocked();
        byte[] before;
        try (DerivedKey key = service.deriveEd25519(KeyPaths.IDENTITY)) {
            before = key.privateKey();
        }
        service.deriveEncryptionKey(0).close();
        service.derivePassword("example.org", 8);
        List<byte[]> cached = service.cachedKeyArrays();
        assertThat(cached).hasSize(3).allSatisfy(array -> assertThat(array).containsAnyOf((byte) 1, (byte) 2, (byte) 3, (byte) 4, (byte) 5,
                (byte) 6, (byte) 7, (byte) 8, (byte) 9, (byte) 10, (byte) 11, (byte) 12, (byte) 13, (byte) 14, (byte) 15));

        service.lock();

        assertThat(service.cachedKeys()).isZero();
        assertThat(cached).allSatisfy(array -> assertThat(array).containsOnly((byte) 0));
        service.unlockWithMnemonic(AlknetVectorsTest.MNEMONIC.toCharArray(), new char[0]);
        try (DerivedKey key = service.deriveEd25519(KeyPaths.IDENTITY)) {
            assertThat(key.privateKey()).isEqualTo(before);
        }
    }

    @Test
    void aCachedKeyIsWipedWhenItsTtlPasses() {
        MovingClock clock = new MovingClock();
        SecretService service = new SecretService(dir.resolve("seed"), clock, Duration.ofMinutes(10), new SecureRandom());
        service.unlockWithMnemonic(AlknetVectorsTest.MNEMONIC.toCharArray(), new char[0]);
        service.deriveEd25519(KeyPaths.IDENTITY).close();
        List<byte[]> first = service.cachedKeyArrays();
        clock.now = clock.now.plus(Duration.ofMinutes(9));
        service.deriveEd25519(KeyPaths.IDENTITY).close();
        assertThat(service.cachedKeyArrays()).as("still cached before the TTL").singleElement().isSameAs(first.getFirst());

        clock.now = clock.now.plus(Duration.ofMinutes(2));
        service.deriveEd25519(KeyPaths.SSH_HOST_KEY).close();
        assertThat(first.getFirst()).as("the expired key's array").containsOnly((byte) 0);
        assertThat(service.cachedKeys()).as("only the host key").isEqualTo(1);
        try (DerivedKey again = service.deriveEd25519(KeyPaths.IDENTITY)) {
            assertThat(again.privateKey()).as("derived afresh, the same key").startsWith((byte) 0x60, (byte) 0x3a);
        }
    }

    @Test
    void aZeroTtlCachesNothing() {
        SecretService service = new SecretService(dir.resolve("seed"), Clock.systemUTC(), Duration.ZERO, new SecureRandom());
        service.unlockWithMnemonic(AlknetVectorsTest.MNEMONIC.toCharArray(), new char[0]);
        service.deriveEd25519(KeyPaths.IDENTITY).close();
        service.encrypt(new byte[] {1}, 0);
        assertThat(service.cachedKeys()).isZero();
    }

    @Test
    void aClosedDerivedKeyIsWipedAndNoToStringShowsASecret() {
        SecretService service = AlknetVectorsTest.unlocked();
        DerivedKey key = service.deriveEd25519(KeyPaths.IDENTITY);
        String hex = java.util.HexFormat.of().formatHex(key.privateKey());
        assertThat(key.toString()).doesNotContain(hex).contains("***").contains("m/74'/0'/0'/0'");
        key.close();
        assertThat(key.privateKey()).containsOnly((byte) 0);
        assertThat(service.toString()).isEqualTo("SecretService[unlocked, " + dir.getFileSystem().getPath("no-seed-file") + "]");
        try (Mnemonic mnemonic = Mnemonic.parse(AlknetVectorsTest.MNEMONIC.toCharArray())) {
            assertThat(mnemonic.toString()).isEqualTo("Mnemonic[12 words]");
        }
    }

    @Test
    void encryptionUsesAFreshIvAndSaltEachTimeAndRoundTrips() {
        SecretService service = AlknetVectorsTest.unlocked();
        byte[] plaintext = "token=abc123".getBytes(StandardCharsets.UTF_8);
        EncryptedData first = service.encrypt(plaintext, 0);
        EncryptedData second = service.encrypt(plaintext, 0);
        assertThat(first.iv()).hasSize(12).isNotEqualTo(second.iv());
        assertThat(first.salt()).hasSize(16).isNotEqualTo(second.salt());
        assertThat(first.data()).isNotEqualTo(second.data()).hasSize(plaintext.length + 16);
        assertThat(service.decrypt(first)).isEqualTo(plaintext);
        assertThat(service.decrypt(EncryptedData.fromJson(second.toJson()))).isEqualTo(plaintext);
        assertThat(service.decrypt(service.encrypt(plaintext, 7))).isEqualTo(plaintext);
        assertThat(service.decrypt(service.encrypt(new byte[0], 0))).isEmpty();
    }

    @Test
    void anyTamperingOrAnotherKeyVersionOrSeedFailsWithOneClearError() {
        SecretService service = AlknetVectorsTest.unlocked();
        EncryptedData sealed = service.encrypt("secret".getBytes(StandardCharsets.UTF_8), 0);
        List<EncryptedData> tampered = new ArrayList<>();
        for (int i = 0; i < sealed.data().length; i++) {
            byte[] data = sealed.data();
            data[i] ^= 0x01;
            tampered.add(new EncryptedData(0, sealed.salt(), sealed.iv(), data));
        }
        byte[] iv = sealed.iv();
        iv[0] ^= 0x40;
        tampered.add(new EncryptedData(0, sealed.salt(), iv, sealed.data()));
        byte[] salt = sealed.salt();
        salt[15] ^= 0x01;
        tampered.add(new EncryptedData(0, salt, sealed.iv(), sealed.data()));
        tampered.add(new EncryptedData(1, sealed.salt(), sealed.iv(), sealed.data()));
        tampered.add(new EncryptedData(0, sealed.salt(), sealed.iv(), java.util.Arrays.copyOf(sealed.data(), 10)));
        tampered.add(new EncryptedData(0, sealed.salt(), new byte[8], sealed.data()));
        for (EncryptedData altered : tampered) {
            assertThatThrownBy(() -> service.decrypt(altered)).isInstanceOfSatisfying(SecretException.class, e -> {
                assertThat(e.code()).isEqualTo(SecretException.DECRYPTION_FAILED);
                assertThat(e.getMessage()).isEqualTo("DECRYPTION_FAILED: the encrypted data does not authenticate: it was altered, "
                        + "or another seed or key version encrypted it");
            });
        }
        SecretService other = new SecretService(dir.resolve("seed"), Clock.systemUTC(), Duration.ofHours(1), new SecureRandom());
        other.unlockWithSeed(new byte[64]);
        assertFails(SecretException.DECRYPTION_FAILED, () -> other.decrypt(sealed));
    }

    @Test
    void theKeyVersionIsBoundAsAssociatedData() throws Exception {
        byte[] key = new byte[32];
        byte[] iv = new byte[12];
        byte[] sealed = io.alknet.secret.internal.Aead.seal(key, iv, io.alknet.secret.internal.Aead.associatedData(3), new byte[] {42});
        assertThat(io.alknet.secret.internal.Aead.open(key, iv, io.alknet.secret.internal.Aead.associatedData(3), sealed)).containsExactly(42);
        assertThatThrownBy(() -> io.alknet.secret.internal.Aead.open(key, iv, io.alknet.secret.internal.Aead.associatedData(4), sealed))
                .isInstanceOf(javax.crypto.AEADBadTagException.class);
    }

    @Test
    void listenersHearUnlockAndLock() {
        SecretService service = new SecretService(dir.resolve("seed"), Clock.systemUTC(), Duration.ofHours(1), new SecureRandom());
        AtomicInteger unlocked = new AtomicInteger();
        AtomicInteger locked = new AtomicInteger();
        service.addListener(new SecretService.Listener() {
            @Override
            public void unlocked(SecretService unlockedService) {
                assertThat(unlockedService.isUnlocked()).isTrue();
                unlocked.incrementAndGet();
            }

            @Override
            public void locked() {
                locked.incrementAndGet();
            }
        });
        service.lock();
        assertThat(locked).hasValue(0);
        service.unlockWithSeed(new byte[32]);
        service.lock();
        service.lock();
        assertThat(unlocked).hasValue(1);
        assertThat(locked).hasValue(1);
    }

    @Test
    void aWrongMnemonicLeavesTheStateAsItWas() {
        SecretService service = AlknetVectorsTest.unlocked();
        assertFails(SecretException.INVALID_MNEMONIC, () -> service.unlockWithMnemonic("abandon abandon".toCharArray(), new char[0]));
        assertThat(service.isUnlocked()).isTrue();
        service.lock();
        assertFails(SecretException.INVALID_MNEMONIC, () -> service.unlockWithMnemonic("zzz".toCharArray(), new char[0]));
        assertThat(service.isUnlocked()).isFalse();
    }
}
