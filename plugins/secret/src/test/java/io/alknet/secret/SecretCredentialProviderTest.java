package io.alknet.secret;

import io.alknet.api.identity.CredentialSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The store and the default provider: decrypted on Unlock, purged on Lock, refreshed on demand, tampering refused. */
class SecretCredentialProviderTest {

    @TempDir
    Path dir;

    @Test
    void setsAreDecryptedOnUnlockPurgedOnLockAndRefusedWhileLocked() throws Exception {
        SecretService secrets = AlknetVectorsTest.unlocked();
        CredentialStore store = CredentialStore.in(dir);
        store.put("billing-api", new CredentialSet.Bearer("t0ken"), secrets, 0);
        secrets.lock();
        SecretCredentialProvider provider = new SecretCredentialProvider(secrets, store);

        assertThatThrownBy(() -> provider.credentials("billing-api"))
                .isInstanceOfSatisfying(SecretException.class, e -> assertThat(e.code()).isEqualTo(SecretException.LOCKED));
        secrets.unlockWithMnemonic(AlknetVectorsTest.MNEMONIC.toCharArray(), new char[0]);
        assertThat(provider.credentials("billing-api")).contains(new CredentialSet.Bearer("t0ken"));
        assertThat(provider.toString()).contains("1 services").doesNotContain("t0ken");
        secrets.lock();
        assertThat(provider.toString()).contains("locked");
        assertThatThrownBy(() -> provider.refresh("billing-api")).isInstanceOf(SecretException.class);
    }

    @Test
    void refreshSeesWhatWasAddedOrRemovedAndTheFileIsOwnerOnlyWithoutPlaintext() throws Exception {
        SecretService secrets = AlknetVectorsTest.unlocked();
        CredentialStore store = CredentialStore.in(dir);
        SecretCredentialProvider provider = new SecretCredentialProvider(secrets, store);
        assertThat(provider.credentials("mail")).isEmpty();
        store.put("mail", new CredentialSet.Basic("robot", "pa55word"), secrets, 3);
        assertThat(provider.credentials("mail")).as("not before a refresh").isEmpty();
        assertThat(provider.refresh("mail")).contains(new CredentialSet.Basic("robot", "pa55word"));
        assertThat(Files.getPosixFilePermissions(store.file())).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(store.file())).startsWith("alknet-credentials v1\nmail basic 3 ").doesNotContain("pa55word").doesNotContain("robot");
        assertThat(store.entries()).extracting(CredentialStore.Entry::service).containsExactly("mail");
        assertThat(store.remove("mail")).isTrue();
        assertThat(store.remove("mail")).isFalse();
        assertThat(provider.refresh("mail")).isEmpty();
    }

    @Test
    void aLineMovedToAnotherServiceOrRelabelledIsRefusedAndTheOthersStillLoad() throws Exception {
        SecretService secrets = AlknetVectorsTest.unlocked();
        CredentialStore store = CredentialStore.in(dir);
        store.put("alpha", new CredentialSet.Bearer("alpha-token"), secrets, 0);
        store.put("beta", new CredentialSet.Bearer("beta-token"), secrets, 0);
        store.put("gamma", new CredentialSet.ApiKey("X-Key", "gamma-key"), secrets, 0);
        List<String> lines = Files.readAllLines(store.file());
        String alphaCipher = lines.get(1).substring("alpha bearer ".length());
        Files.write(store.file(), List.of(lines.get(0), "beta bearer " + alphaCipher, lines.get(3).replace("gamma api-key", "gamma bearer")));

        SecretCredentialProvider provider = new SecretCredentialProvider(secrets, store);
        assertThat(provider.credentials("beta")).as("alpha's ciphertext under beta's name").isEmpty();
        assertThat(provider.credentials("gamma")).as("a relabelled type").isEmpty();
        assertThatThrownBy(() -> CredentialStore.open(store.entries().getFirst(), secrets))
                .isInstanceOfSatisfying(SecretException.class, e -> assertThat(e.code()).isEqualTo(SecretException.DECRYPTION_FAILED));

        Files.writeString(store.file(), "alknet-credentials v1\nbroken line\n");
        assertThatThrownBy(store::entries).isInstanceOfSatisfying(SecretException.class,
                e -> assertThat(e.getMessage()).contains("line 2 of the credential store"));
    }

    @Test
    void everyTypeRoundTripsThroughItsFieldsAndBadFieldsAreNamed() {
        List<CredentialSet> sets = List.of(new CredentialSet.ApiKey("X-Api-Key", "k"), new CredentialSet.Basic("u", "p"),
                new CredentialSet.Bearer("b"), new CredentialSet.S3AccessKey("a", "s", Optional.empty()),
                new CredentialSet.OidcToken("a", Optional.empty(), Optional.of(Instant.parse("2030-01-01T00:00:00Z"))),
                new CredentialSet.Custom("sig", Map.of("a", "1", "b", "2")));
        for (CredentialSet set : sets) {
            assertThat(CredentialCodec.fromFields(CredentialCodec.fields(set))).isEqualTo(set);
            assertThat(CredentialCodec.decode("svc", CredentialCodec.encode("svc", set))).isEqualTo(set);
        }
        assertThatThrownBy(() -> CredentialCodec.fromFields(Map.of("type", "bearer"))).hasMessageContaining("needs the field 'token'");
        assertThatThrownBy(() -> CredentialCodec.fromFields(Map.of("type", "bearer", "token", "t", "tokn", "x")))
                .hasMessageContaining("unknown field 'tokn'");
        assertThatThrownBy(() -> CredentialCodec.fromFields(Map.of("type", "kerberos"))).hasMessageContaining("api-key, basic, bearer");
        assertThatThrownBy(() -> CredentialStore.requireServiceName("has space")).hasMessageContaining("service name");
    }
}
