package io.alknet.secret;

import io.alknet.api.Identity;
import io.alknet.api.call.CallError;
import io.alknet.api.call.Operation;
import io.alknet.api.call.OperationContext;
import io.alknet.api.call.OperationException;
import io.alknet.testkit.contract.TestOperationContext;
import io.alknet.testkit.contract.TestPluginContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the contract cannot express: the locked state of every operation, export, trusted calls, the plugin's sides. */
class SecretOperationsTest {

    @TempDir
    Path dir;

    private static Object call(List<Operation> operations, String path, Object input, OperationContext context) throws Exception {
        return operations.stream().filter(operation -> operation.spec().path().equals(path)).findFirst().orElseThrow()
                .handler().handle(input, context);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> result(Object value) {
        return (Map<String, Object>) value;
    }

    private static TestOperationContext caller(String... scopes) {
        return new TestOperationContext(Identity.of("SHA256:test", "test", Set.of(scopes)), false);
    }

    @Test
    void everyOperationButLockUnlockAndStatusIsRefusedWhileLocked() throws Exception {
        List<Operation> operations = new SecretPlugin().serverOperations(TestPluginContext.in(dir));
        TestOperationContext admin = caller(SecretOperations.SCOPE_DERIVE, SecretOperations.SCOPE_PASSWORD, SecretOperations.SCOPE_ENCRYPT,
                SecretOperations.SCOPE_DECRYPT, SecretOperations.SCOPE_ADMIN);
        Map<String, Object> inputs = Map.of(
                "/secret/derive/ed25519", Map.of(),
                "/secret/derive/encryption-key", Map.of(),
                "/secret/derive/ethereum", Map.of(),
                "/secret/derive/password", Map.of("name", "github.com"),
                "/secret/encrypt", Map.of("plaintext", "x"),
                "/secret/decrypt", Map.of("key_version", 0, "salt", "AAAA", "iv", "AAAA", "data", "AAAA"));
        assertThat(operations).extracting(operation -> operation.spec().path()).containsAll(inputs.keySet())
                .contains("/secret/lock", "/secret/unlock", "/secret/status").hasSize(9);
        for (Map.Entry<String, Object> entry : inputs.entrySet()) {
            assertThatThrownBy(() -> call(operations, entry.getKey(), entry.getValue(), admin)).as(entry.getKey())
                    .isInstanceOfSatisfying(SecretException.class, e -> assertThat(e.code()).isEqualTo(SecretException.LOCKED));
        }
        assertThat(call(operations, "/secret/status", Map.of(), admin)).isEqualTo(Map.of("state", "locked", "seed_file", false));
        assertThat(call(operations, "/secret/lock", Map.of(), admin)).isEqualTo(Map.of("state", "locked"));
        assertThatThrownBy(() -> call(operations, "/secret/unlock", Map.of("passphrase", "x"), admin))
                .isInstanceOfSatisfying(SecretException.class, e -> assertThat(e.code()).isEqualTo(SecretException.NO_SEED));
    }

    @Test
    void theSpecsRequireTheirScopes() {
        Map<String, String> scopes = new java.util.HashMap<>();
        new SecretPlugin().serverOperations(TestPluginContext.in(dir))
                .forEach(operation -> scopes.put(operation.spec().path(), String.join(",", operation.spec().access().requiredScopes())));
        assertThat(scopes).containsEntry("/secret/derive/ed25519", "secrets:derive").containsEntry("/secret/derive/encryption-key", "secrets:derive")
                .containsEntry("/secret/derive/ethereum", "secrets:derive").containsEntry("/secret/derive/password", "secrets:password")
                .containsEntry("/secret/encrypt", "secrets:encrypt").containsEntry("/secret/decrypt", "secrets:decrypt")
                .containsEntry("/secret/lock", "secrets:admin").containsEntry("/secret/unlock", "secrets:admin")
                .containsEntry("/secret/status", "secrets:admin");
    }

    @Test
    void aPrivateKeyLeavesOnlyWithTheExportScopeOrToATrustedCall() throws Exception {
        SecretPlugin plugin = new SecretPlugin();
        List<Operation> operations = plugin.serverOperations(TestPluginContext.in(dir));
        plugin.service(TestPluginContext.in(dir)).unlockWithMnemonic(AlknetVectorsTest.MNEMONIC.toCharArray(), new char[0]);

        assertThat(result(call(operations, "/secret/derive/ed25519", Map.of(), caller(SecretOperations.SCOPE_DERIVE))))
                .doesNotContainKey("private_key");
        assertThatThrownBy(() -> call(operations, "/secret/derive/ed25519", Map.of("export", true), caller(SecretOperations.SCOPE_DERIVE)))
                .isInstanceOfSatisfying(OperationException.class, e -> {
                    assertThat(e.code()).isEqualTo(CallError.ACCESS_DENIED);
                    assertThat(e.getMessage()).contains("secrets:export");
                });
        Map<?, ?> exported = (Map<?, ?>) call(operations, "/secret/derive/ed25519", Map.of("export", true),
                caller(SecretOperations.SCOPE_DERIVE, SecretOperations.SCOPE_EXPORT));
        assertThat(Base64.getDecoder().decode((String) exported.get("private_key")))
                .isEqualTo(java.util.HexFormat.of().parseHex("603aa5c626317fda4afd87b902e5c9de76c33f40834005245e1c5a675e92d700"));
        Map<?, ?> trusted = (Map<?, ?>) call(operations, "/secret/derive/encryption-key", Map.of("export", true),
                new TestOperationContext(Identity.of("SHA256:test", "test", Set.of()), true));
        assertThat(result(trusted)).containsKey("private_key");
    }

    @Test
    void clientsGetNoSecretOperationsAndOneStateDirectoryHasOneService() {
        SecretPlugin plugin = new SecretPlugin();
        assertThat(plugin.operations()).isEmpty();
        assertThat(plugin.service(TestPluginContext.in(dir))).isSameAs(plugin.service(TestPluginContext.in(dir.resolve("."))))
                .isNotSameAs(plugin.service(TestPluginContext.in(dir.resolve("other"))));
        assertThat(plugin.service(TestPluginContext.in(dir)).seedFile()).isEqualTo(dir.resolve("secret/seed"));
    }
}
