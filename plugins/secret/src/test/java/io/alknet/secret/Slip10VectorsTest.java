package io.alknet.secret;

import org.bouncycastle.crypto.digests.RIPEMD160Digest;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every official SLIP-0010 test vector for ed25519 and secp256k1: the "Test vectors" section of slip-0010.md in
 * satoshilabs/slips (commit a00312491693, 2025-04-15), committed unchanged as {@code slip-0010-test-vectors.md} and
 * parsed here. For each chain: the chain code, the private key, the public key (ser<sub>P</sub>) and the parent's
 * fingerprint. The nist256p1 and curve25519 vectors are skipped: alknet derives on neither curve.
 */
class Slip10VectorsTest {

    private static final HexFormat HEX = HexFormat.of();

    record Chain(Slip10.Curve curve, String seed, String path, String fingerprint, String chainCode, String privateKey, String publicKey) {
    }

    static List<Chain> chains() throws Exception {
        String text;
        try (InputStream in = Slip10VectorsTest.class.getResourceAsStream("slip-0010-test-vectors.md")) {
            assertThat(in).as("slip-0010-test-vectors.md").isNotNull();
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<Chain> chains = new ArrayList<>();
        Slip10.Curve curve = null;
        String seed = null;
        String path = null;
        String[] fields = new String[4];
        for (String line : text.lines().map(String::strip).toList()) {
            if (line.startsWith("### ")) {
                curve = line.endsWith(" for ed25519") ? Slip10.Curve.ED25519 : line.endsWith(" for secp256k1") ? Slip10.Curve.SECP256K1 : null;
            } else if (line.startsWith("Seed (hex): ")) {
                seed = line.substring("Seed (hex): ".length());
            } else if (line.startsWith("* Chain ")) {
                path = line.substring("* Chain ".length()).replace("<sub>H</sub>", "'");
            } else if (line.startsWith("* ") && curve != null) {
                String[] field = line.substring(2).split(": ");
                switch (field[0]) {
                    case "fingerprint" -> fields[0] = field[1];
                    case "chain code" -> fields[1] = field[1];
                    case "private" -> fields[2] = field[1];
                    case "public" -> {
                        fields[3] = field[1];
                        chains.add(new Chain(curve, seed, path, fields[0], fields[1], fields[2], fields[3]));
                    }
                    default -> throw new AssertionError("unexpected line: " + line);
                }
            }
        }
        return chains;
    }

    @Test
    void everyEd25519AndSecp256k1ChainDerivesAsPublished() throws Exception {
        List<Chain> chains = chains();
        assertThat(chains).as("chains of the two ed25519 and two secp256k1 vectors").hasSize(24);
        assertThat(chains).filteredOn(chain -> chain.curve() == Slip10.Curve.ED25519).hasSize(12);
        for (Chain chain : chains) {
            DerivationPath path = DerivationPath.parse(chain.path());
            byte[] seed = HEX.parseHex(chain.seed());
            try (ExtendedKey key = Slip10.derive(chain.curve(), seed, path)) {
                String label = chain.curve() + " " + chain.path() + " of " + chain.seed();
                assertThat(HEX.formatHex(key.chainCode())).as("chain code of %s", label).isEqualTo(chain.chainCode());
                assertThat(HEX.formatHex(key.privateKey())).as("private key of %s", label).isEqualTo(chain.privateKey());
                assertThat(HEX.formatHex(key.serializedPublicKey())).as("public key of %s", label).isEqualTo(chain.publicKey());
                assertThat(fingerprintOfParent(chain.curve(), seed, path)).as("fingerprint of %s", label).isEqualTo(chain.fingerprint());
            }
        }
    }

    @Test
    void ed25519RefusesANonHardenedLevel() {
        byte[] seed = HEX.parseHex("000102030405060708090a0b0c0d0e0f");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Slip10.derive(Slip10.Curve.ED25519, seed, DerivationPath.parse("m/0'/1")))
                .isInstanceOfSatisfying(SecretException.class, e -> assertThat(e.code()).isEqualTo(SecretException.INVALID_PATH))
                .hasMessageContaining("hardened only").hasMessageContaining("level 2");
    }

    /** The first four bytes of HASH160 of the parent's ser_P public key (00000000 for the master). */
    private static String fingerprintOfParent(Slip10.Curve curve, byte[] seed, DerivationPath path) throws Exception {
        if (path.depth() == 0) {
            return "00000000";
        }
        DerivationPath parent = DerivationPath.master();
        for (int level = 0; level < path.depth() - 1; level++) {
            parent = parent.child(path.index(level) & ~DerivationPath.HARDENED, path.isHardened(level));
        }
        try (ExtendedKey key = Slip10.derive(curve, seed, parent)) {
            byte[] sha = MessageDigest.getInstance("SHA-256").digest(key.serializedPublicKey());
            RIPEMD160Digest ripemd = new RIPEMD160Digest();
            ripemd.update(sha, 0, sha.length);
            byte[] hash = new byte[20];
            ripemd.doFinal(hash, 0);
            return HEX.formatHex(hash, 0, 4);
        }
    }
}
