package io.alknet.secret;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A BIP32/SLIP-0010 derivation path such as {@code m/74'/0'/0'/0'}: indexes below 2<sup>31</sup>, each hardened
 * ({@code '}, {@code h} or {@code H}) or not. Immutable; {@link #toString()} is the canonical form with {@code '}.
 */
public final class DerivationPath {

    /** The hardened flag of an index as it is serialized (ser<sub>32</sub>(i) with i &ge; 2<sup>31</sup>). */
    public static final int HARDENED = 0x8000_0000;
    /** BIP32 stores the depth in one byte. */
    public static final int MAX_DEPTH = 255;

    private final int[] indexes;

    private DerivationPath(int[] indexes) {
        this.indexes = indexes;
    }

    /** The master key itself: {@code m}. */
    public static DerivationPath master() {
        return new DerivationPath(new int[0]);
    }

    /**
     * Parses {@code m/74'/0'/0'/0'}.
     *
     * @throws SecretException {@code INVALID_PATH} saying what is wrong
     */
    public static DerivationPath parse(String text) {
        Objects.requireNonNull(text, "text");
        String trimmed = text.strip();
        if (!trimmed.equals("m") && !trimmed.startsWith("m/")) {
            throw invalid(text, "it must start with m/");
        }
        String[] parts = trimmed.equals("m") ? new String[0] : trimmed.substring(2).split("/", -1);
        if (parts.length > MAX_DEPTH) {
            throw invalid(text, "it is deeper than " + MAX_DEPTH + " levels");
        }
        int[] indexes = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            boolean hardened = part.endsWith("'") || part.endsWith("h") || part.endsWith("H");
            String digits = hardened ? part.substring(0, part.length() - 1) : part;
            if (digits.isEmpty() || digits.length() > 10 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')
                    || (digits.length() > 1 && digits.charAt(0) == '0')) {
                throw invalid(text, "level " + (i + 1) + " ('" + part + "') is not a number below 2^31, optionally followed by '");
            }
            long value = Long.parseLong(digits);
            if (value >= 1L << 31) {
                throw invalid(text, "level " + (i + 1) + " (" + digits + ") is not below 2^31 (mark hardened levels with ' instead)");
            }
            indexes[i] = (int) value | (hardened ? HARDENED : 0);
        }
        return new DerivationPath(indexes);
    }

    private static SecretException invalid(String text, String why) {
        String shown = text.length() > 80 ? text.substring(0, 80) + "…" : text;
        return new SecretException(SecretException.INVALID_PATH, "derivation path '" + shown + "' is malformed: " + why
                + " (e.g. m/74'/0'/0'/0')");
    }

    /** This path with one more level. */
    public DerivationPath child(int index, boolean hardened) {
        if (index < 0) {
            throw new SecretException(SecretException.INVALID_PATH, "an index is below 2^31; got " + Integer.toUnsignedString(index));
        }
        if (indexes.length == MAX_DEPTH) {
            throw new SecretException(SecretException.INVALID_PATH, "a path is at most " + MAX_DEPTH + " levels deep");
        }
        int[] longer = Arrays.copyOf(indexes, indexes.length + 1);
        longer[indexes.length] = index | (hardened ? HARDENED : 0);
        return new DerivationPath(longer);
    }

    public int depth() {
        return indexes.length;
    }

    /** The index at {@code level} (0-based) as serialized: with {@link #HARDENED} set for hardened levels. */
    public int index(int level) {
        return indexes[level];
    }

    public boolean isHardened(int level) {
        return (indexes[level] & HARDENED) != 0;
    }

    /** True when every level is hardened (what ed25519 derivation needs). */
    public boolean isFullyHardened() {
        return Arrays.stream(indexes).allMatch(index -> (index & HARDENED) != 0);
    }

    /** True when this path starts with every level of {@code prefix}. */
    public boolean startsWith(DerivationPath prefix) {
        return prefix.indexes.length <= indexes.length
                && Arrays.equals(indexes, 0, prefix.indexes.length, prefix.indexes, 0, prefix.indexes.length);
    }

    /** The indexes as serialized. */
    public List<Integer> indexes() {
        List<Integer> list = new ArrayList<>(indexes.length);
        for (int index : indexes) {
            list.add(index);
        }
        return List.copyOf(list);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DerivationPath that && Arrays.equals(indexes, that.indexes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(indexes);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("m");
        for (int index : indexes) {
            text.append('/').append(index & ~HARDENED);
            if ((index & HARDENED) != 0) {
                text.append('\'');
            }
        }
        return text.toString();
    }
}
