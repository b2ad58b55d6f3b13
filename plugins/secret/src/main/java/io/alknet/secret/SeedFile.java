package io.alknet.secret;

import io.alknet.api.plugin.StateFiles;
import io.alknet.secret.internal.Aead;
import io.alknet.secret.internal.Utf8;
import io.alknet.secret.internal.Wipe;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

import javax.crypto.AEADBadTagException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * The seed at rest: {@code <state-dir>/secret/seed}, the 64-byte BIP39 seed encrypted with AES-256-GCM under a key
 * that Argon2id (RFC 9106) stretches from a passphrase. The mnemonic is never stored
 * (docs/decisions/0008-seed-at-rest.md). The file is text:
 *
 * <pre>
 * alknet-seed v1
 * kdf argon2id m=65536 t=3 p=4
 * salt BASE64
 * iv BASE64
 * data BASE64
 * </pre>
 *
 * The first three lines are the associated data, so a changed parameter fails like a wrong passphrase. Written once
 * (mode 0600), never replaced by alknet.
 */
public final class SeedFile {

    static final String MAGIC = "alknet-seed v1";
    private static final int SEED_BYTES = 64;

    /**
     * Argon2id cost: memory in KiB, passes, lanes.
     *
     * @param memoryKiB   memory, in KiB
     * @param iterations  passes over the memory
     * @param parallelism lanes
     */
    public record KdfParameters(int memoryKiB, int iterations, int parallelism) {

        /** RFC 9106's second recommended option: 64 MiB, 3 passes, 4 lanes. */
        public static final KdfParameters DEFAULT = new KdfParameters(65_536, 3, 4);

        public KdfParameters {
            // bounds also protect a reader from a file that asks for absurd work
            if (parallelism < 1 || parallelism > 64 || iterations < 1 || iterations > 64 || memoryKiB < 8 * parallelism
                    || memoryKiB > 4 * 1024 * 1024) {
                throw new SecretException(SecretException.INVALID_INPUT, "Argon2id parameters out of range: m=" + memoryKiB + " t="
                        + iterations + " p=" + parallelism);
            }
        }

        String line() {
            return "kdf argon2id m=" + memoryKiB + " t=" + iterations + " p=" + parallelism;
        }
    }

    private SeedFile() {
    }

    /** Where the seed of a state directory lives. */
    public static Path in(Path stateDirectory) {
        return stateDirectory.resolve("secret").resolve("seed");
    }

    /**
     * Encrypts {@code seed} under {@code passphrase} into a new {@code file}.
     *
     * @throws SecretException {@code SEED_EXISTS} if the file exists (it is left alone), {@code INVALID_INPUT} for an
     *                         empty passphrase or a seed that is not 64 bytes
     */
    public static void create(Path file, byte[] seed, char[] passphrase, KdfParameters kdf, SecureRandom random) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(kdf, "kdf");
        if (seed.length != SEED_BYTES) {
            throw new SecretException(SecretException.INVALID_INPUT, "a BIP39 seed is 64 bytes; got " + seed.length);
        }
        if (passphrase.length == 0) {
            throw new SecretException(SecretException.INVALID_INPUT, "the seed file needs a passphrase; it may not be empty");
        }
        requireAbsent(file);
        byte[] salt = Aead.random(random, Aead.SALT_BYTES);
        byte[] iv = Aead.random(random, Aead.IV_BYTES);
        String header = MAGIC + "\n" + kdf.line() + "\nsalt " + Base64.getEncoder().encodeToString(salt);
        byte[] key = stretch(passphrase, salt, kdf);
        try {
            byte[] sealed = Aead.seal(key, iv, header.getBytes(StandardCharsets.US_ASCII), seed);
            String content = header + "\niv " + Base64.getEncoder().encodeToString(iv) + "\ndata " + Base64.getEncoder().encodeToString(sealed) + "\n";
            StateFiles.create(file, content.getBytes(StandardCharsets.US_ASCII), true);
        } catch (FileAlreadyExistsException e) {
            throw exists(file);
        } finally {
            Wipe.bytes(key);
        }
    }

    /**
     * Checks that no seed file is at {@code file}, e.g. before asking for a new passphrase.
     *
     * @throws SecretException {@code SEED_EXISTS}
     */
    public static void requireAbsent(Path file) {
        if (Files.exists(file)) {
            throw exists(file);
        }
    }

    /**
     * Decrypts the seed in {@code file}, as an array the caller wipes.
     *
     * @throws SecretException {@code NO_SEED} when the file does not exist, {@code WRONG_PASSPHRASE} when the passphrase
     *                         does not open it (or the file was altered), {@code INVALID_INPUT} when it is not a seed file
     */
    public static byte[] open(Path file, char[] passphrase) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new SecretException(SecretException.NO_SEED, "there is no seed file " + file
                    + " yet; create one with: alknet secret init (or unlock with a mnemonic)");
        } catch (java.nio.charset.MalformedInputException e) {
            throw damaged(file, "it is not ASCII text");
        }
        if (lines.size() != 5 || !lines.get(0).equals(MAGIC)) {
            throw damaged(file, "it does not start with '" + MAGIC + "' or has other than 5 lines");
        }
        KdfParameters kdf = kdf(file, lines.get(1));
        byte[] salt = field(file, lines.get(2), "salt");
        byte[] iv = field(file, lines.get(3), "iv");
        byte[] sealed = field(file, lines.get(4), "data");
        String header = lines.get(0) + "\n" + lines.get(1) + "\n" + lines.get(2);
        byte[] key = stretch(passphrase, salt, kdf);
        try {
            byte[] seed = Aead.open(key, iv, header.getBytes(StandardCharsets.US_ASCII), sealed);
            if (seed.length != SEED_BYTES) {
                Wipe.bytes(seed);
                throw damaged(file, "it holds " + seed.length + " bytes instead of a 64-byte seed");
            }
            return seed;
        } catch (AEADBadTagException e) {
            throw new SecretException(SecretException.WRONG_PASSPHRASE, "the passphrase does not open the seed file " + file
                    + " (or the file was altered)");
        } finally {
            Wipe.bytes(key);
        }
    }

    private static byte[] stretch(char[] passphrase, byte[] salt, KdfParameters kdf) {
        byte[] password = Utf8.encode(passphrase);
        byte[] key = new byte[32];
        try {
            Argon2BytesGenerator generator = new Argon2BytesGenerator();
            generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                    .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                    .withSalt(salt)
                    .withMemoryAsKB(kdf.memoryKiB())
                    .withIterations(kdf.iterations())
                    .withParallelism(kdf.parallelism())
                    .build());
            generator.generateBytes(password, key);
            return key;
        } finally {
            Wipe.bytes(password);
        }
    }

    private static KdfParameters kdf(Path file, String line) {
        String[] parts = line.split(" ");
        if (parts.length != 5 || !parts[0].equals("kdf") || !parts[1].equals("argon2id") || !parts[2].startsWith("m=")
                || !parts[3].startsWith("t=") || !parts[4].startsWith("p=")) {
            throw damaged(file, "line 2 is not 'kdf argon2id m=… t=… p=…'");
        }
        try {
            return new KdfParameters(Integer.parseInt(parts[2].substring(2)), Integer.parseInt(parts[3].substring(2)),
                    Integer.parseInt(parts[4].substring(2)));
        } catch (NumberFormatException e) {
            throw damaged(file, "line 2 has a parameter that is not a number");
        }
    }

    private static byte[] field(Path file, String line, String name) {
        if (!line.startsWith(name + " ")) {
            throw damaged(file, "a line '" + name + " …' is missing");
        }
        try {
            return Base64.getDecoder().decode(line.substring(name.length() + 1));
        } catch (IllegalArgumentException e) {
            throw damaged(file, "the " + name + " is not base64");
        }
    }

    private static SecretException damaged(Path file, String why) {
        return new SecretException(SecretException.INVALID_INPUT, "the seed file " + file + " is damaged or not an alknet seed file: " + why);
    }

    private static SecretException exists(Path file) {
        return new SecretException(SecretException.SEED_EXISTS, "a seed file exists already at " + file
                + "; alknet never replaces it, since every key derived from it would change (move it away first if you mean to)");
    }
}
