package io.alknet.secret;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.InputStream;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every official BIP39 test vector: {@code vectors.json} of trezor/python-mnemonic (commit b57a5ad77a98, 2024-08-27),
 * committed unchanged as {@code bip39-vectors.json}; every vector uses the passphrase {@code TREZOR}.
 *
 * <p>For the 24 English vectors: entropy to mnemonic, mnemonic back to entropy (through the checksum), the seed, and
 * the BIP32 master key the vector's {@code xprv} serializes (SLIP-0010 secp256k1 master derivation). For the 264
 * vectors in the other eleven languages, whose words alknet does not read: the seed, which depends on NFKD
 * normalization of the sentence and is the same algorithm for every language.
 */
class Bip39VectorsTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final char[] PASSPHRASE = "TREZOR".toCharArray();

    private static JsonNode vectors() throws Exception {
        try (InputStream in = Bip39VectorsTest.class.getResourceAsStream("bip39-vectors.json")) {
            assertThat(in).as("bip39-vectors.json").isNotNull();
            return JsonMapper.builder().build().readTree(in);
        }
    }

    @Test
    void everyEnglishVectorEncodesDecodesAndSeedsAsPublished() throws Exception {
        JsonNode english = vectors().get("english");
        assertThat(english.size()).isEqualTo(24);
        for (JsonNode vector : english) {
            byte[] entropy = HEX.parseHex(vector.get(0).asString());
            String sentence = vector.get(1).asString();
            byte[] expectedSeed = HEX.parseHex(vector.get(2).asString());

            try (Mnemonic generated = Mnemonic.fromEntropy(entropy)) {
                assertThat(new String(generated.toChars())).as("mnemonic of %s", vector.get(0)).isEqualTo(sentence);
                assertThat(generated.size()).isEqualTo(sentence.split(" ").length);
                assertThat(generated.seed(PASSPHRASE)).as("seed of %s", sentence).isEqualTo(expectedSeed);
            }
            try (Mnemonic parsed = Mnemonic.parse(sentence.toCharArray())) {
                assertThat(parsed.entropy()).as("entropy of %s", sentence).isEqualTo(entropy);
            }

            byte[] xprv = base58check(vector.get(3).asString());
            try (ExtendedKey master = Slip10.master(Slip10.Curve.SECP256K1, expectedSeed)) {
                assertThat(Arrays.copyOfRange(xprv, 13, 45)).as("chain code in %s", vector.get(3)).isEqualTo(master.chainCode());
                assertThat(xprv[45]).isZero();
                assertThat(Arrays.copyOfRange(xprv, 46, 78)).as("key in %s", vector.get(3)).isEqualTo(master.privateKey());
            }
        }
    }

    @Test
    void everyVectorInEveryLanguageGivesItsSeed() throws Exception {
        int checked = 0;
        for (Map.Entry<String, JsonNode> language : vectors().properties()) {
            for (JsonNode vector : language.getValue()) {
                byte[] seed = Mnemonic.seed(vector.get(1).asString().toCharArray(), PASSPHRASE);
                assertThat(HEX.formatHex(seed)).as("%s: %s", language.getKey(), vector.get(1).asString())
                        .isEqualTo(vector.get(2).asString());
                checked++;
            }
        }
        assertThat(checked).as("vectors in the file").isEqualTo(12 * 24);
    }

    /** Base58Check decoding (the xprv strings), verifying the 4-byte double-SHA-256 checksum. */
    static byte[] base58check(String text) throws Exception {
        String alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
        BigInteger value = BigInteger.ZERO;
        for (char c : text.toCharArray()) {
            value = value.multiply(BigInteger.valueOf(58)).add(BigInteger.valueOf(alphabet.indexOf(c)));
        }
        byte[] raw = value.toByteArray();
        byte[] bytes = new byte[82];
        System.arraycopy(raw, Math.max(0, raw.length - 82), bytes, Math.max(0, 82 - raw.length), Math.min(82, raw.length));
        byte[] payload = Arrays.copyOf(bytes, 78);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] check = sha.digest(sha.digest(payload));
        assertThat(Arrays.copyOfRange(bytes, 78, 82)).as("checksum of %s", text).isEqualTo(Arrays.copyOf(check, 4));
        return payload;
    }
}
