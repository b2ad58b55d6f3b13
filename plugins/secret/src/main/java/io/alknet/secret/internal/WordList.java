package io.alknet.secret.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The BIP39 English word list (bitcoin/bips, bip-0039/english.txt), shipped as a resource and checked against its
 * published SHA-256 when first used, so a damaged jar can never produce mnemonics no other wallet reads.
 */
public final class WordList {

    /** SHA-256 of bip-0039/english.txt as published in bitcoin/bips. */
    static final String ENGLISH_SHA256 = "2f5eed53a4727b4bf8880d8f3f199efc90e58503646d9ff8eff3a2ed3b24dbda";
    private static final String RESOURCE = "/io/alknet/secret/bip39-english.txt";

    private static final class Holder {
        static final WordList ENGLISH = load();
    }

    private final List<String> words;

    private WordList(List<String> words) {
        this.words = List.copyOf(words);
    }

    public static WordList english() {
        return Holder.ENGLISH;
    }

    /** The word at {@code index} (0..2047); words are public, so a String is fine. */
    public String word(int index) {
        return words.get(index);
    }

    /**
     * The index of the word {@code text[from..to)}, compared without making a String of it (ASCII letters in any
     * case), or -1 when it is not in the list.
     */
    public int indexOf(char[] text, int from, int to) {
        int low = 0;
        int high = words.size() - 1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            int order = compare(words.get(middle), text, from, to);
            if (order < 0) {
                low = middle + 1;
            } else if (order > 0) {
                high = middle - 1;
            } else {
                return middle;
            }
        }
        return -1;
    }

    private static int compare(String word, char[] text, int from, int to) {
        int length = to - from;
        for (int i = 0; i < Math.min(word.length(), length); i++) {
            char c = text[from + i];
            char lower = c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
            if (word.charAt(i) != lower) {
                return word.charAt(i) - lower;
            }
        }
        return word.length() - length;
    }

    private static WordList load() {
        try (InputStream in = WordList.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the BIP39 word list " + RESOURCE + " is missing from the alknet-secret jar");
            }
            byte[] content = in.readAllBytes();
            String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
            if (!digest.equals(ENGLISH_SHA256)) {
                throw new IllegalStateException("the BIP39 word list in the alknet-secret jar is damaged (SHA-256 " + digest + ")");
            }
            List<String> words = new String(content, StandardCharsets.US_ASCII).lines().toList();
            if (words.size() != 2048) {
                throw new IllegalStateException("the BIP39 word list has " + words.size() + " words, not 2048");
            }
            return new WordList(words);
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot read the BIP39 word list: " + e.getMessage(), e);
        }
    }
}
