package io.alknet.integration;

import io.alknet.defaults.BuiltIns;
import io.alknet.api.call.CallError;
import io.alknet.api.call.OperationException;
import io.alknet.kernel.Alknet;
import io.alknet.kernel.AlknetClient;
import io.alknet.kernel.AlknetServer;
import io.alknet.kernel.ClientOptions;
import io.alknet.api.interfaces.HostKeyVerification;
import io.alknet.secret.SecretException;
import io.alknet.secret.SeedFile;
import io.alknet.interfaces.ssh.OpenSshKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The secret service through a real server over SSH (issue 22, done-when 3): every operation refused without its
 * scope and, but for lock, unlock and status, while locked; a wrong passphrase, a malformed mnemonic, a malformed path
 * and tampered ciphertext each give one clear error; and a client, which has the same plugin on its class path, serves
 * none of these operations to its server.
 */
class SecretCallsTest {

    /** The seed of "abandon … about" (BIP39, no passphrase) and the public key of its identity m/74'/0'/0'/0'. */
    private static final String SEED = "5eb00bbddcf069084889a8ab9155568165f5c453ccb85e70811aaed6f6da5fc1"
            + "9a5ac40b389cd370d086206dec8aa6c43daea6690f20ad3d8d48b2d2ce9e38e4";
    private static final String IDENTITY_PUBLIC_KEY = "54wnZqeS8Jv8y1FJOWisMiKD6NAhowBjeE2AaSl2Lsw=";
    private static final String MNEMONIC = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";

    private static final Map<String, Object> INPUTS = inputs();

    @TempDir
    Path dir;

    private static Map<String, Object> inputs() {
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("/secret/derive/ed25519", Map.of());
        inputs.put("/secret/derive/encryption-key", Map.of("key_version", 1));
        inputs.put("/secret/derive/ethereum", Map.of());
        inputs.put("/secret/derive/password", Map.of("name", "github.com", "length", 16));
        inputs.put("/secret/encrypt", Map.of("plaintext", "hunter2"));
        inputs.put("/secret/decrypt", Map.of("key_version", 0, "salt", "AAAAAAAAAAAAAAAAAAAAAA==", "iv", "AAAAAAAAAAAAAAAA",
                "data", "AAAAAAAAAAAAAAAAAAAAAA=="));
        return inputs;
    }

    private static Object await(CompletionStage<Object> call) throws Exception {
        return call.toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static CallError errorOf(CompletionStage<?> call) throws Exception {
        try {
            call.toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(OperationException.class);
            return ((OperationException) e.getCause()).error();
        }
        return fail("the call succeeded");
    }

    @Test
    void everyOperationNeedsItsScopeAndAnUnlockedServiceAndEveryBadInputGetsOneClearError() throws Exception {
        Fixture fixture = new Fixture(dir);
        Path bobKey = dir.resolve("bob_key");
        KeyPair bob = OpenSshKeys.generate(bobKey, "bob");
        Files.writeString(fixture.authorizedKeys,
                "scopes=\"secrets:derive,secrets:password,secrets:encrypt,secrets:decrypt,secrets:admin\" "
                        + OpenSshKeys.publicKeyLine(fixture.client.getPublic(), "alice") + "\n"
                        + OpenSshKeys.publicKeyLine(bob.getPublic(), "bob") + "\n");
        SeedFile.create(SeedFile.in(dir.resolve("state")), HexFormat.of().parseHex(SEED), "open sesame".toCharArray(),
                new SeedFile.KdfParameters(1024, 1, 1), new SecureRandom());

        try (AlknetServer server = Alknet.server(fixture.server().build());
             AlknetClient alice = Alknet.client(fixture.client(server).build());
             AlknetClient bobClient = Alknet.client(BuiltIns.client(server.listenAddresses().getFirst())
                     .identity(bobKey)
                     .user("bob")
                     .stateDirectory(dir.resolve("bob-state"))
                     .hostKeys(new HostKeyVerification.Pinned(List.of(OpenSshKeys.fingerprint(fixture.host.getPublic()))))
                     .build())) {
            List<String> all = new java.util.ArrayList<>(INPUTS.keySet());
            all.addAll(List.of("/secret/lock", "/secret/unlock", "/secret/status"));
            for (String path : all) {
                Object input = INPUTS.getOrDefault(path, path.equals("/secret/unlock") ? Map.of("passphrase", "open sesame") : Map.of());
                assertThat(errorOf(bobClient.calls().call(path, input)).code()).as("%s without its scope", path).isEqualTo(CallError.ACCESS_DENIED);
            }

            for (Map.Entry<String, Object> entry : INPUTS.entrySet()) {
                CallError error = errorOf(alice.calls().call(entry.getKey(), entry.getValue()));
                assertThat(error.code()).as("%s while locked", entry.getKey()).isEqualTo(SecretException.LOCKED);
                assertThat(error.message()).contains("locked").contains("alknet secret unlock");
            }
            assertThat(await(alice.calls().call("/secret/status", Map.of()))).isEqualTo(Map.of("state", "locked", "seed_file", true));

            CallError wrong = errorOf(alice.calls().call("/secret/unlock", Map.of("passphrase", "open sesame!")));
            assertThat(wrong.code()).isEqualTo(SecretException.WRONG_PASSPHRASE);
            assertThat(wrong.message()).contains("the passphrase does not open the seed file").doesNotContain("open sesame");
            CallError checksum = errorOf(alice.calls().call("/secret/unlock", Map.of("mnemonic", MNEMONIC.replace("about", "abandon"))));
            assertThat(checksum.code()).isEqualTo(SecretException.INVALID_MNEMONIC);
            assertThat(checksum.message()).contains("checksum does not match");
            CallError unknownWord = errorOf(alice.calls().call("/secret/unlock", Map.of("mnemonic", MNEMONIC.replace("about", "abuot"))));
            assertThat(unknownWord.code()).isEqualTo(SecretException.INVALID_MNEMONIC);
            assertThat(unknownWord.message()).contains("word 12").doesNotContain("abuot");
            assertThat(errorOf(alice.calls().call("/secret/unlock", Map.of("passphrase", "open sesame", "mnemonic", MNEMONIC))).code())
                    .as("either a passphrase or a mnemonic").isEqualTo(CallError.VALIDATION_ERROR);
            assertThat(await(alice.calls().call("/secret/status", Map.of()))).isEqualTo(Map.of("state", "locked", "seed_file", true));

            assertThat(await(alice.calls().call("/secret/unlock", Map.of("passphrase", "open sesame")))).isEqualTo(Map.of("state", "unlocked"));
            Map<?, ?> identity = (Map<?, ?>) await(alice.calls().call("/secret/derive/ed25519", Map.of()));
            assertThat(identity.get("public_key")).isEqualTo(IDENTITY_PUBLIC_KEY);
            assertThat(identity.containsKey("private_key")).isFalse();
            assertThat(errorOf(alice.calls().call("/secret/derive/ed25519", Map.of("export", true))).code()).isEqualTo(CallError.ACCESS_DENIED);
            CallError path = errorOf(alice.calls().call("/secret/derive/ed25519", Map.of("path", "m/74'/0'/x'")));
            assertThat(path.code()).isEqualTo(SecretException.INVALID_PATH);
            assertThat(path.message()).isEqualTo("derivation path 'm/74'/0'/x'' is malformed: level 3 ('x'') is not a number below 2^31, "
                    + "optionally followed by ' (e.g. m/74'/0'/0'/0')");
            for (Map.Entry<String, Object> entry : INPUTS.entrySet()) {
                if (!entry.getKey().equals("/secret/decrypt")) {
                    assertThat(await(alice.calls().call(entry.getKey(), entry.getValue()))).as(entry.getKey()).isNotNull();
                }
            }

            @SuppressWarnings("unchecked")
            Map<String, Object> sealed = new LinkedHashMap<>((Map<String, Object>) await(alice.calls().call("/secret/encrypt",
                    Map.of("plaintext", "token for the billing API"))));
            assertThat(await(alice.calls().call("/secret/decrypt", sealed))).isEqualTo(Map.of("plaintext", "token for the billing API"));
            byte[] data = java.util.Base64.getDecoder().decode((String) sealed.get("data"));
            data[3] ^= 0x20;
            sealed.put("data", java.util.Base64.getEncoder().encodeToString(data));
            CallError tampered = errorOf(alice.calls().call("/secret/decrypt", sealed));
            assertThat(tampered.code()).isEqualTo(SecretException.DECRYPTION_FAILED);
            assertThat(tampered.message()).contains("was altered");

            assertThat(await(alice.calls().call("/secret/lock", Map.of()))).isEqualTo(Map.of("state", "locked"));
            assertThat(errorOf(alice.calls().call("/secret/derive/ed25519", Map.of())).code()).isEqualTo(SecretException.LOCKED);

            assertThat(alice.operations().specs()).as("operations the client serves to its server")
                    .noneMatch(spec -> spec.path().startsWith("/secret/"));
            assertThat(server.operations().specs()).filteredOn(spec -> spec.path().startsWith("/secret/")).hasSize(9);
        }
    }
}
