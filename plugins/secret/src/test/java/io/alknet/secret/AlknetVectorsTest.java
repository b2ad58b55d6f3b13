package io.alknet.secret;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * alknet's own fixed vectors for the one-way choices of docs/decisions/0007-secret-derivation-choices.md: the path
 * table, how a password name becomes an index, password bytes, and the EncryptedData construction. They were computed
 * independently of this code, with Python's hashlib/hmac and the {@code cryptography} package (the script is in the
 * decision), for the mnemonic "abandon … about" (BIP39's all-zero 128-bit entropy) without a BIP39 passphrase. If one
 * of them changes, every key, password or ciphertext made before the change is lost.
 */
class AlknetVectorsTest {

    static final String MNEMONIC = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
    static final String SEED = "5eb00bbddcf069084889a8ab9155568165f5c453ccb85e70811aaed6f6da5fc1"
            + "9a5ac40b389cd370d086206dec8aa6c43daea6690f20ad3d8d48b2d2ce9e38e4";
    private static final HexFormat HEX = HexFormat.of();

    static SecretService unlocked() {
        SecretService service = new SecretService(Path.of("no-seed-file"), Clock.systemUTC(), Duration.ofHours(1), new SecureRandom());
        service.unlockWithMnemonic(MNEMONIC.toCharArray(), new char[0]);
        return service;
    }

    private static void assertEd25519(SecretService service, DerivationPath path, String privateKey, String publicKey) {
        try (DerivedKey key = service.deriveEd25519(path)) {
            assertThat(HEX.formatHex(key.privateKey())).as("private key at %s", path).isEqualTo(privateKey);
            assertThat(HEX.formatHex(key.publicKey())).as("public key at %s", path).isEqualTo(publicKey);
        }
    }

    @Test
    void theMnemonicGivesBip39sSeed() {
        try (Mnemonic mnemonic = Mnemonic.parse(MNEMONIC.toCharArray())) {
            assertThat(HEX.formatHex(mnemonic.seed(new char[0]))).isEqualTo(SEED);
        }
    }

    @Test
    void thePathTableGivesTheseEd25519Keys() {
        SecretService service = unlocked();
        assertEd25519(service, KeyPaths.IDENTITY, "603aa5c626317fda4afd87b902e5c9de76c33f40834005245e1c5a675e92d700",
                "e78c2766a792f09bfccb51493968ac322283e8d021a30063784d806929762ecc");
        assertEd25519(service, KeyPaths.device(1), "550f05587732eeb6bd0de879f77b89e3593a655733f794be9a05dad90c3a1d24",
                "733961f7573657324f22e91f06ea4f0b359e2efa0ccffc954616dadee7444daa");
        assertEd25519(service, KeyPaths.SSH_HOST_KEY, "be2dfaff0d268c833fd9c653b9bd352cef3ec2b211db804211c9f912b63dc3ab",
                "6a9dd5c41915fba6cc22b8760263aba45b068cae7bead1d069c7b8eeb0118134");
        assertThat(KeyPaths.device(1)).hasToString("m/74'/0'/0'/1'");
    }

    @Test
    void theEncryptionKeyOfEachVersionIsTheEd25519KeyOfItsPath() {
        SecretService service = unlocked();
        try (DerivedKey version0 = service.deriveEncryptionKey(0); DerivedKey version1 = service.deriveEncryptionKey(1)) {
            assertThat(version0.path()).hasToString("m/74'/2'/0'/0'");
            assertThat(version0.type()).isEqualTo(KeyType.AES256_GCM);
            assertThat(version0.publicKey()).isEmpty();
            assertThat(HEX.formatHex(version0.privateKey())).isEqualTo("fbed5fa9110df4214baa259a4cd6bd3902373231472d317b8f3686b1d63df17a");
            assertThat(version1.path()).hasToString("m/74'/2'/0'/1'");
            assertThat(HEX.formatHex(version1.privateKey())).isEqualTo("3ddaf7a4485d755c959c883347420fdc9fa2a64fb1edae8a5f312e82c210f0f0");
        }
    }

    @Test
    void aPasswordNameBecomesThisIndexAndThesePasswordBytes() {
        assertThat(KeyPaths.passwordIndex("github.com")).isEqualTo(988_479_524);
        assertThat(KeyPaths.password("github.com")).hasToString("m/74'/1'/0'/988479524'");
        // NFC: a decomposed é names the same password as a composed one
        assertThat(KeyPaths.passwordIndex("caf\u0065\u0301.example")).isEqualTo(KeyPaths.passwordIndex("caf\u00e9.example"));
        SecretService service = unlocked();
        assertThat(HEX.formatHex(service.derivePassword("github.com", 32)))
                .isEqualTo("2f85bbedb332ba09b488b5018d2f0029df7b9bc00868f1e5e15c56b946284455");
        // HKDF output is a prefix-stable stream: a shorter password is the start of a longer one
        assertThat(HEX.formatHex(service.derivePassword("github.com", 8))).isEqualTo("2f85bbedb332ba09");
    }

    @Test
    void thisEncryptedDataDecryptsToItsPlaintext() {
        EncryptedData fixed = EncryptedData.fromJson(java.util.Map.of("key_version", 0, "salt", "AAECAwQFBgcICQoLDA0ODw==",
                "iv", "ZGVmZ2hpamtsbW5v", "data", "Cy66vfcakuHgvOy6TVRFbIclHvPdV3Qa347s7EhC25EJAw=="));
        assertThat(new String(unlocked().decrypt(fixed), StandardCharsets.UTF_8)).isEqualTo("alknet test vector");
        assertThat(fixed.salt()).hasSize(16);
        assertThat(fixed.iv()).hasSize(12);
        assertThat(Base64.getEncoder().encodeToString(fixed.data())).isEqualTo("Cy66vfcakuHgvOy6TVRFbIclHvPdV3Qa347s7EhC25EJAw==");
    }

    @Test
    void theEthereumKeyHasTheAddressEveryWalletShowsForThisMnemonic() {
        try (DerivedKey key = unlocked().deriveSecp256k1(KeyPaths.ETHEREUM)) {
            // MetaMask, Ledger and ethers.js all show this first account for "abandon … about"
            assertThat(io.alknet.secret.internal.Secp256k1.ethereumAddress(key.publicKey()))
                    .isEqualTo("0x9858EfFD232B4033E47d90003D41EC34EcaEda94");
            assertThat(key.publicKey()).hasSize(33);
        }
    }
}
