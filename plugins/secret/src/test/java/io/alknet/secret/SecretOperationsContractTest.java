package io.alknet.secret;

import io.alknet.api.call.CallError;
import io.alknet.api.call.Operation;
import io.alknet.testkit.contract.OperationContract;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The secret operations against the operation contract from alknet-testkit, unlocked with the vector mnemonic
 * ("abandon … about") and a random source that counts, so that every result, even /secret/encrypt's, is fixed.
 */
class SecretOperationsContractTest extends OperationContract {

    @TempDir
    Path dir;

    /** Fills every request with 0, 1, 2, … so salts and IVs are predictable in this test only. */
    static final class CountingRandom extends SecureRandom {
        private byte next;

        @Override
        public void nextBytes(byte[] bytes) {
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = next++;
            }
        }
    }

    @Override
    protected List<Operation> operations() throws Exception {
        if (!java.nio.file.Files.exists(SeedFile.in(dir))) {
            SeedFile.create(SeedFile.in(dir), HexFormat.of().parseHex(AlknetVectorsTest.SEED), "passphrase".toCharArray(),
                    SeedFileTest.CHEAP, new SecureRandom());
        }
        SecretService service = new SecretService(SeedFile.in(dir), Clock.systemUTC(), Duration.ofHours(1), new CountingRandom());
        service.unlockWithMnemonic(AlknetVectorsTest.MNEMONIC.toCharArray(), new char[0]);
        return new SecretOperations(service).operations();
    }

    private static Map<String, Object> map(Object... pairs) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }

    @Override
    protected List<Example> examples() {
        return List.of(
                new Example("/secret/derive/ed25519", Map.of(),
                        map("key_type", "Ed25519", "path", "m/74'/0'/0'/0'", "public_key", "54wnZqeS8Jv8y1FJOWisMiKD6NAhowBjeE2AaSl2Lsw=")),
                new Example("/secret/derive/ed25519", Map.of("path", "m/74'/0'/1'/0'"),
                        map("key_type", "Ed25519", "path", "m/74'/0'/1'/0'", "public_key", "ap3VxBkV+6bMIrh2AmOrpFsGjK576tHQace47rARgTQ=")),
                new Example("/secret/derive/encryption-key", Map.of(),
                        map("key_type", "Aes256Gcm", "path", "m/74'/2'/0'/0'", "key_version", 0, "key_id", "001d55544a3a5100")),
                new Example("/secret/derive/ethereum", Map.of(),
                        map("key_type", "Secp256k1", "path", "m/44'/60'/0'/0/0", "public_key", "Ajewu3qCiNOO1JpSS13JjP8+tcqCTJ+dwN/bPZzWAPKZ",
                                "address", "0x9858EfFD232B4033E47d90003D41EC34EcaEda94")),
                new Example("/secret/derive/password", Map.of("name", "github.com"),
                        map("path", "m/74'/1'/0'/988479524'", "password", "L4W77bMyugm0iLUBjS8AKd97m8AIaPHl4VxWuUYoRFU=")),
                new Example("/secret/encrypt", Map.of("plaintext", "alknet test vector"),
                        map("key_version", 0, "salt", "AAECAwQFBgcICQoLDA0ODw==", "iv", "EBESExQVFhcYGRob",
                                "data", "Pa06riKfNoAxz3mvv/4VdsBot0PfzPfjpdXGdLC3AkSimw==")),
                new Example("/secret/decrypt", Map.of("key_version", 0, "salt", "AAECAwQFBgcICQoLDA0ODw==", "iv", "ZGVmZ2hpamtsbW5v",
                        "data", "Cy66vfcakuHgvOy6TVRFbIclHvPdV3Qa347s7EhC25EJAw=="), Map.of("plaintext", "alknet test vector")),
                new Example("/secret/status", Map.of(), map("state", "unlocked", "seed_file", true)),
                new Example("/secret/lock", Map.of(), Map.of("state", "locked")),
                new Example("/secret/unlock", Map.of("passphrase", "passphrase"), Map.of("state", "unlocked")),
                new Example("/secret/unlock", Map.of("mnemonic", AlknetVectorsTest.MNEMONIC), Map.of("state", "unlocked")));
    }

    @Override
    protected List<Map.Entry<Example, String>> failures() {
        return List.of(
                Map.entry(new Example("/secret/derive/ed25519", Map.of("export", true), null), CallError.ACCESS_DENIED),
                Map.entry(new Example("/secret/derive/ethereum", Map.of("export", true), null), CallError.ACCESS_DENIED),
                Map.entry(new Example("/secret/derive/ed25519", Map.of("path", "m/74'/0'/x"), null), SecretException.INVALID_PATH),
                Map.entry(new Example("/secret/derive/ed25519", Map.of("path", "m/74'/0'/0'/0"), null), SecretException.INVALID_PATH),
                Map.entry(new Example("/secret/derive/ed25519", Map.of("path", "m"), null), SecretException.INVALID_PATH),
                Map.entry(new Example("/secret/derive/ed25519", Map.of("path", "m/74'/2'/0'/0'"), null), SecretException.INVALID_PATH),
                Map.entry(new Example("/secret/derive/ed25519", Map.of("path", "m/74'/1'/0'/5'"), null), SecretException.INVALID_PATH),
                Map.entry(new Example("/secret/derive/encryption-key", Map.of("path", "m/74'/0'/0'/0'"), null), SecretException.INVALID_PATH),
                Map.entry(new Example("/secret/derive/encryption-key", Map.of("path", "m/74'/2'/0'/1'", "key_version", 2), null),
                        SecretException.INVALID_PATH),
                Map.entry(new Example("/secret/derive/ethereum", Map.of("path", "m/44'/0'/0'/0/0"), null), SecretException.INVALID_PATH),
                Map.entry(new Example("/secret/decrypt", Map.of("key_version", 0, "salt", "AAECAwQFBgcICQoLDA0ODw==", "iv", "ZGVmZ2hpamtsbW5v",
                        "data", "Cy66vfcakuHgvOy6TVRFbIclHvPdV3Qa347s7EhC25EJAA=="), null), SecretException.DECRYPTION_FAILED),
                Map.entry(new Example("/secret/decrypt", Map.of("key_version", 0, "salt", "*", "iv", "", "data", ""), null),
                        SecretException.INVALID_INPUT),
                Map.entry(new Example("/secret/unlock", Map.of("passphrase", "not it"), null), SecretException.WRONG_PASSPHRASE),
                Map.entry(new Example("/secret/unlock", Map.of("passphrase", "passphrase", "bip39_passphrase", "x"), null),
                        SecretException.INVALID_INPUT),
                Map.entry(new Example("/secret/unlock", Map.of("mnemonic", AlknetVectorsTest.MNEMONIC.replace("about", "abandon")), null),
                        SecretException.INVALID_MNEMONIC),
                Map.entry(new Example("/secret/unlock", Map.of("mnemonic", AlknetVectorsTest.MNEMONIC.replace("about", "aboot")), null),
                        SecretException.INVALID_MNEMONIC));
    }
}
