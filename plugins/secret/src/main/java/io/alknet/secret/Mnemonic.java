package io.alknet.secret;

import io.alknet.secret.internal.Pbkdf2;
import io.alknet.secret.internal.Utf8;
import io.alknet.secret.internal.Wipe;
import io.alknet.secret.internal.WordList;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.Objects;

/**
 * A BIP39 mnemonic in the English word list: 12, 15, 18, 21 or 24 words that encode 128 to 256 bits of entropy
 * and a checksum. The sentence lives in a {@code char[]} that {@link #close()} wipes; it is never a {@code String},
 * and {@link #toString()} shows only the number of words.
 *
 * <p>Not thread-safe; use one instance from one thread and close it.
 */
public final class Mnemonic implements AutoCloseable {

    /** The word counts BIP39 defines. */
    public static final int[] WORD_COUNTS = {12, 15, 18, 21, 24};
    private static final int PBKDF2_ITERATIONS = 2048;
    private static final byte[] SALT_PREFIX = "mnemonic".getBytes(StandardCharsets.US_ASCII);

    private final char[] sentence;
    private final int words;

    private Mnemonic(char[] sentence, int words) {
        this.sentence = sentence;
        this.words = words;
    }

    /** A new mnemonic of {@code words} words from {@code random}. */
    public static Mnemonic generate(int words, SecureRandom random) {
        Objects.requireNonNull(random, "random");
        byte[] entropy = new byte[entropyBytes(words)];
        random.nextBytes(entropy);
        try {
            return fromEntropy(entropy);
        } finally {
            Wipe.bytes(entropy);
        }
    }

    /** The mnemonic that encodes {@code entropy} (16, 20, 24, 28 or 32 bytes). */
    public static Mnemonic fromEntropy(byte[] entropy) {
        int bits = entropy.length * 8;
        if (entropy.length < 16 || entropy.length > 32 || entropy.length % 4 != 0) {
            throw new SecretException(SecretException.INVALID_INPUT, "BIP39 entropy is 16, 20, 24, 28 or 32 bytes; got " + entropy.length);
        }
        int checksumBits = bits / 32;
        int count = (bits + checksumBits) / 11;
        byte[] hash = sha256(entropy);
        WordList list = WordList.english();
        char[] buffer = new char[count * 9];
        int length = 0;
        try {
            for (int word = 0; word < count; word++) {
                int index = 0;
                for (int bit = word * 11; bit < word * 11 + 11; bit++) {
                    index = (index << 1) | bitAt(bit < bits ? entropy : hash, bit < bits ? bit : bit - bits);
                }
                String text = list.word(index);
                if (word > 0) {
                    buffer[length++] = ' ';
                }
                text.getChars(0, text.length(), buffer, length);
                length += text.length();
            }
            return new Mnemonic(Arrays.copyOf(buffer, length), count);
        } finally {
            Wipe.chars(buffer);
            Wipe.bytes(hash);
        }
    }

    /**
     * Reads a mnemonic: English words separated by any white space, in any letter case. The array is only read;
     * the caller still owns (and wipes) it.
     *
     * @throws SecretException {@code INVALID_MNEMONIC} for a wrong number of words, a word not in the list (named by its
     *                         position, never by its text) or a checksum that does not match
     */
    public static Mnemonic parse(char[] text) {
        Objects.requireNonNull(text, "text");
        WordList list = WordList.english();
        int[] indexes = new int[WORD_COUNTS[WORD_COUNTS.length - 1] + 1];
        int count = 0;
        int position = 0;
        try {
            while (position < text.length) {
                while (position < text.length && Character.isWhitespace(text[position])) {
                    position++;
                }
                if (position == text.length) {
                    break;
                }
                int start = position;
                while (position < text.length && !Character.isWhitespace(text[position])) {
                    position++;
                }
                if (count == indexes.length) {
                    count++;
                    break;
                }
                int index = list.indexOf(text, start, position);
                if (index < 0) {
                    throw new SecretException(SecretException.INVALID_MNEMONIC, "word " + (count + 1)
                            + " of the mnemonic is not in the BIP39 English word list; check its spelling");
                }
                indexes[count++] = index;
            }
            if (!validCount(count)) {
                throw new SecretException(SecretException.INVALID_MNEMONIC, "a BIP39 mnemonic has 12, 15, 18, 21 or 24 words; got "
                        + (count > WORD_COUNTS[WORD_COUNTS.length - 1] ? "more than 24" : count));
            }
            byte[] entropy = entropyOf(indexes, count);
            try {
                return fromEntropy(entropy);
            } finally {
                Wipe.bytes(entropy);
            }
        } finally {
            Arrays.fill(indexes, 0);
        }
    }

    private static boolean validCount(int count) {
        return Arrays.stream(WORD_COUNTS).anyMatch(valid -> valid == count);
    }

    /** The entropy the words encode, after checking the checksum. */
    private static byte[] entropyOf(int[] indexes, int count) {
        int totalBits = count * 11;
        int checksumBits = totalBits / 33;
        int entropyBits = totalBits - checksumBits;
        byte[] all = new byte[(totalBits + 7) / 8];
        byte[] entropy = new byte[entropyBits / 8];
        byte[] hash = null;
        try {
            for (int word = 0; word < count; word++) {
                for (int bit = 0; bit < 11; bit++) {
                    if ((indexes[word] >>> (10 - bit) & 1) == 1) {
                        int at = word * 11 + bit;
                        all[at / 8] |= (byte) (0x80 >>> (at % 8));
                    }
                }
            }
            System.arraycopy(all, 0, entropy, 0, entropy.length);
            hash = sha256(entropy);
            for (int bit = 0; bit < checksumBits; bit++) {
                if (bitAt(all, entropyBits + bit) != bitAt(hash, bit)) {
                    Wipe.bytes(entropy);
                    throw new SecretException(SecretException.INVALID_MNEMONIC,
                            "the mnemonic's checksum does not match: a word is wrong or out of order");
                }
            }
            return entropy;
        } finally {
            Wipe.bytes(all, hash);
        }
    }

    /** How many words this mnemonic has. */
    public int size() {
        return words;
    }

    /** The sentence: lower-case words separated by single spaces, as a copy the caller wipes. */
    public char[] toChars() {
        return sentence.clone();
    }

    /** The entropy the words encode, as a copy the caller wipes. */
    public byte[] entropy() {
        int[] indexes = new int[words];
        WordList list = WordList.english();
        int start = 0;
        for (int word = 0; word < words; word++) {
            int end = start;
            while (end < sentence.length && sentence[end] != ' ') {
                end++;
            }
            indexes[word] = list.indexOf(sentence, start, end);
            start = end + 1;
        }
        try {
            return entropyOf(indexes, words);
        } finally {
            Arrays.fill(indexes, 0);
        }
    }

    /** The 64-byte BIP39 seed of this mnemonic with {@code passphrase} (empty for none), as an array the caller wipes. */
    public byte[] seed(char[] passphrase) {
        return seed(sentence, passphrase);
    }

    /**
     * The BIP39 seed of any mnemonic sentence, in any language, exactly as BIP39 defines it: PBKDF2-HMAC-SHA512 with
     * 2048 iterations over the NFKD-normalized sentence, salted with {@code "mnemonic"} and the NFKD-normalized
     * passphrase. Neither argument is validated or changed; the result is an array the caller wipes.
     */
    public static byte[] seed(char[] sentence, char[] passphrase) {
        char[] normalizedSentence = Utf8.normalize(sentence, Normalizer.Form.NFKD);
        char[] normalizedPassphrase = Utf8.normalize(passphrase, Normalizer.Form.NFKD);
        byte[] password = null;
        byte[] passphraseBytes = null;
        byte[] salt = null;
        try {
            password = Utf8.encode(normalizedSentence);
            passphraseBytes = Utf8.encode(normalizedPassphrase);
            salt = new byte[SALT_PREFIX.length + passphraseBytes.length];
            System.arraycopy(SALT_PREFIX, 0, salt, 0, SALT_PREFIX.length);
            System.arraycopy(passphraseBytes, 0, salt, SALT_PREFIX.length, passphraseBytes.length);
            return Pbkdf2.hmacSha512(password, salt, PBKDF2_ITERATIONS, 64);
        } finally {
            Wipe.chars(normalizedSentence, normalizedPassphrase);
            Wipe.bytes(password, passphraseBytes, salt);
        }
    }

    @Override
    public void close() {
        Wipe.chars(sentence);
    }

    @Override
    public String toString() {
        return "Mnemonic[" + words + " words]";
    }

    private static int entropyBytes(int words) {
        if (!validCount(words)) {
            throw new SecretException(SecretException.INVALID_INPUT, "a BIP39 mnemonic has 12, 15, 18, 21 or 24 words; got " + words);
        }
        return words * 11 * 32 / 33 / 8;
    }

    private static int bitAt(byte[] bytes, int bit) {
        return bytes[bit / 8] >>> (7 - bit % 8) & 1;
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
