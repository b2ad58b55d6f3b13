package io.alknet.secret;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The encrypted seed file: Argon2id + AES-256-GCM, written once, owner-only; clear errors for every way it fails. */
class SeedFileTest {

    /** Cheap Argon2id costs, so the tests stay fast; the format records them, and DEFAULT is tested once. */
    static final SeedFile.KdfParameters CHEAP = new SeedFile.KdfParameters(64, 1, 1);

    @TempDir
    Path dir;

    private static void assertFails(String code, String message, ThrowingRunnable action) {
        assertThatThrownBy(action::run).isInstanceOfSatisfying(SecretException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.getMessage()).contains(message);
        });
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void theSeedComesBackWithTheRightPassphraseOnlyAndTheFileIsOwnerOnly() throws Exception {
        Path file = SeedFile.in(dir);
        byte[] seed = HexFormat.of().parseHex(AlknetVectorsTest.SEED);
        SeedFile.create(file, seed, "correct horse".toCharArray(), SeedFile.KdfParameters.DEFAULT, new SecureRandom());

        assertThat(file).isEqualTo(dir.resolve("secret/seed"));
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        String content = Files.readString(file);
        assertThat(content).startsWith("alknet-seed v1\nkdf argon2id m=65536 t=3 p=4\nsalt ").doesNotContain(AlknetVectorsTest.SEED);
        assertThat(SeedFile.open(file, "correct horse".toCharArray())).isEqualTo(seed);
        assertFails(SecretException.WRONG_PASSPHRASE, "the passphrase does not open the seed file " + file,
                () -> SeedFile.open(file, "correct horsE".toCharArray()));
    }

    @Test
    void itIsNeverReplaced() throws Exception {
        Path file = SeedFile.in(dir);
        SeedFile.create(file, new byte[64], "one".toCharArray(), CHEAP, new SecureRandom());
        String before = Files.readString(file);
        assertFails(SecretException.SEED_EXISTS, "never replaces", () -> SeedFile.create(file, new byte[64], "two".toCharArray(), CHEAP,
                new SecureRandom()));
        assertThat(Files.readString(file)).isEqualTo(before);
    }

    @Test
    void aMissingDamagedOrAlteredFileGetsItsOwnClearError() throws Exception {
        Path file = SeedFile.in(dir);
        assertFails(SecretException.NO_SEED, "alknet secret init", () -> SeedFile.open(file, "x".toCharArray()));
        SeedFile.create(file, new byte[64], "pass".toCharArray(), CHEAP, new SecureRandom());
        String good = Files.readString(file);

        // a lowered cost is bound as associated data: it fails like a wrong passphrase
        Files.writeString(file, good.replace("m=64 t=1", "m=64 t=2"));
        assertFails(SecretException.WRONG_PASSPHRASE, "or the file was altered", () -> SeedFile.open(file, "pass".toCharArray()));
        Files.writeString(file, good.replace("alknet-seed v1", "something else"));
        assertFails(SecretException.INVALID_INPUT, "not an alknet seed file", () -> SeedFile.open(file, "pass".toCharArray()));
        Files.writeString(file, good.replace("\niv ", "\niv !!"));
        assertFails(SecretException.INVALID_INPUT, "the iv is not base64", () -> SeedFile.open(file, "pass".toCharArray()));
        Files.writeString(file, good.replace("m=64 ", "m=9999999999 "));
        assertFails(SecretException.INVALID_INPUT, "not a number", () -> SeedFile.open(file, "pass".toCharArray()));
        Files.writeString(file, good.replace("m=64 ", "m=99999999 "));
        assertFails(SecretException.INVALID_INPUT, "out of range", () -> SeedFile.open(file, "pass".toCharArray()));
    }

    @Test
    void theServiceUnlocksFromTheFileAndAWrongPassphraseLeavesItLocked() throws Exception {
        byte[] seed = HexFormat.of().parseHex(AlknetVectorsTest.SEED);
        SeedFile.create(SeedFile.in(dir), seed, "pass phrase".toCharArray(), CHEAP, new SecureRandom());
        SecretService service = SecretService.forStateDirectory(dir, Clock.systemUTC());

        assertFails(SecretException.WRONG_PASSPHRASE, "does not open", () -> service.unlock("wrong".toCharArray()));
        assertThat(service.isUnlocked()).isFalse();
        service.unlock("pass phrase".toCharArray());
        try (DerivedKey key = service.deriveEd25519(KeyPaths.IDENTITY)) {
            assertThat(HexFormat.of().formatHex(key.publicKey())).isEqualTo("e78c2766a792f09bfccb51493968ac322283e8d021a30063784d806929762ecc");
        }
    }

    @Test
    void anEmptyPassphraseOrAShortSeedIsRefused() {
        assertFails(SecretException.INVALID_INPUT, "may not be empty",
                () -> SeedFile.create(SeedFile.in(dir), new byte[64], new char[0], CHEAP, new SecureRandom()));
        assertFails(SecretException.INVALID_INPUT, "64 bytes",
                () -> SeedFile.create(SeedFile.in(dir), new byte[32], "x".toCharArray(), CHEAP, new SecureRandom()));
        assertThat(SeedFile.in(dir)).doesNotExist();
    }
}
