package io.alknet.interfaces.ssh.internal.cipher;

import org.bouncycastle.crypto.Mac;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The hand-written {@link Poly1305} against RFC 8439's vectors (each also checked with BouncyCastle's Poly1305, so
 * that a mistyped vector cannot pass) and against BouncyCastle on random keys and messages fed in random pieces.
 */
class Poly1305Test {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void rfc8439Section252() {
        byte[] key = HEX.parseHex("85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b");
        byte[] message = "Cryptographic Forum Research Group".getBytes(StandardCharsets.US_ASCII);
        assertThat(HEX.formatHex(tag(new Poly1305(), key, message))).isEqualTo("a8061dc1305136c6c22b8baf0c0127a9");
    }

    /** RFC 8439 appendix A.3 vectors #5 to #11: the edge cases of the reduction mod 2^130 - 5 that random input misses. */
    @ParameterizedTest(name = "A.3 #{0}")
    @CsvSource({
            "5, 0200000000000000000000000000000000000000000000000000000000000000, ffffffffffffffffffffffffffffffff, 03000000000000000000000000000000",
            "6, 02000000000000000000000000000000ffffffffffffffffffffffffffffffff, 02000000000000000000000000000000, 03000000000000000000000000000000",
            "7, 0100000000000000000000000000000000000000000000000000000000000000, fffffffffffffffffffffffffffffffff0ffffffffffffffffffffffffffffff11000000000000000000000000000000, 05000000000000000000000000000000",
            "8, 0100000000000000000000000000000000000000000000000000000000000000, fffffffffffffffffffffffffffffffffbfefefefefefefefefefefefefefefe01010101010101010101010101010101, 00000000000000000000000000000000",
            "9, 0200000000000000000000000000000000000000000000000000000000000000, fdffffffffffffffffffffffffffffff, faffffffffffffffffffffffffffffff",
            "10, 0100000000000000040000000000000000000000000000000000000000000000, e33594d7505e43b900000000000000003394d7505e4379cd01000000000000000000000000000000000000000000000001000000000000000000000000000000, 14000000000000005500000000000000",
            "11, 0100000000000000040000000000000000000000000000000000000000000000, e33594d7505e43b900000000000000003394d7505e4379cd010000000000000000000000000000000000000000000000, 13000000000000000000000000000000",
    })
    void rfc8439AppendixA3(int number, String key, String message, String expected) {
        assertThat(HEX.formatHex(tag(new org.bouncycastle.crypto.macs.Poly1305(), HEX.parseHex(key), HEX.parseHex(message))))
                .as("BouncyCastle on vector #%d", number).isEqualTo(expected);
        assertThat(HEX.formatHex(tag(new Poly1305(), HEX.parseHex(key), HEX.parseHex(message)))).isEqualTo(expected);
    }

    /**
     * Carries that random input reaches with a chance of 2^-64, made to happen with r = 1 (so h is the sum of the
     * blocks, each with its 2^128 bit): adding the second block carries from h0 through h1 = 2^64 - 1 into h2, and the
     * third brings h to 2^130, just above p; folding the fourth block's 2^130 back as 5 into h0 = 2^64 - 1 carries
     * through h1 = 2^64 - 1 into h2, and the last two bring h to 2p.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "adding a block, ffffffffffffffffffffffffffffffff0100000000000000000000000000000000000000000000000000000000000000, 05000000000000000000000000000000",
            "folding 2^130 back, ffffffffffffffffffffffffffffffff000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000f7ffffffffffffffffffffffffffffff00000000000000000000000000000000, 00000000000000000000000000000000",
    })
    void aCarryRunsThroughTheMiddleLimbIntoTheTopOne(String where, String message, String expected) {
        byte[] key = HEX.parseHex("0100000000000000000000000000000000000000000000000000000000000000");
        assertThat(HEX.formatHex(tag(new org.bouncycastle.crypto.macs.Poly1305(), key, HEX.parseHex(message))))
                .as("BouncyCastle").isEqualTo(expected);
        assertThat(HEX.formatHex(tag(new Poly1305(), key, HEX.parseHex(message)))).isEqualTo(expected);
    }

    @Test
    void agreesWithBouncyCastleOnRandomKeysAndMessagesInRandomPieces() {
        Random random = new Random(20);
        byte[] message = new byte[1100];
        byte[] key = new byte[Poly1305.KEY_SIZE];
        Poly1305 ours = new Poly1305();
        Mac reference = new org.bouncycastle.crypto.macs.Poly1305();
        for (int length = 0; length <= message.length; length++) {
            random.nextBytes(key);
            if (length % 7 == 0) {
                Arrays.fill(key, 0, 16, (byte) 0xff); // the largest r clamping allows
            }
            random.nextBytes(message);
            if (length % 5 == 0) {
                Arrays.fill(message, (byte) 0xff); // carries through every limb
            }
            ours.init(key, 0);
            int offset = 0;
            while (offset < length) {
                int piece = Math.min(length - offset, random.nextInt(40));
                ours.update(message, offset, piece);
                offset += piece;
            }
            byte[] actual = new byte[Poly1305.TAG_SIZE];
            ours.doFinal(actual, 0);
            assertThat(actual).as("length %d", length).isEqualTo(tag(reference, key, Arrays.copyOf(message, length)));
        }
    }

    @Test
    void doFinalStartsTheNextMessageUnderTheSameKey() {
        byte[] key = new byte[Poly1305.KEY_SIZE];
        new Random(3).nextBytes(key);
        byte[] message = "one message, then the same again".getBytes(StandardCharsets.US_ASCII);
        Poly1305 poly = new Poly1305();
        poly.init(key, 0);
        byte[] first = new byte[16];
        byte[] second = new byte[16];
        poly.update(message, 0, message.length);
        poly.doFinal(first, 0);
        poly.update(message, 0, message.length);
        poly.doFinal(second, 0);
        assertThat(second).isEqualTo(first).isEqualTo(tag(new org.bouncycastle.crypto.macs.Poly1305(), key, message));
    }

    @Test
    void refusesToRunWithoutAKey() {
        assertThatThrownBy(() -> new Poly1305().update(new byte[1], 0, 1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new Poly1305().init(new KeyParameter(new byte[16]))).isInstanceOf(IllegalArgumentException.class);
    }

    private static byte[] tag(Mac mac, byte[] key, byte[] message) {
        mac.init(new KeyParameter(key));
        mac.update(message, 0, message.length);
        byte[] tag = new byte[mac.getMacSize()];
        mac.doFinal(tag, 0);
        return tag;
    }
}
