package io.alknet.storage;

import io.alknet.api.AlknetException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Accounts, organisations, memberships, keys and their audit rows, on SQLite and on PostgreSQL. */
@ParameterizedClass
@EnumSource(Backend.class)
class AccountsTest extends StorageTestBase {

    static final String KEY = TestKeys.line(1, "alice@laptop");

    @Test
    void aLoginGetsTheAccountsScopesAndItsOrganisationsNarrowedByTheKey() {
        Accounts accounts = storage.accounts();
        Account alice = accounts.createAccount("Alice@Example.org", "Alice", Account.AccessLevel.USER, Set.of("relay:connect"));
        Account bob = accounts.createAccount("bob@example.org", "", Account.AccessLevel.ADMIN, Set.of());
        accounts.createOrganization("Ops", "ops", bob.email(), Set.of("metrics:read", "shell:use"));
        accounts.addMember("ops", "alice@example.org", Organization.MembershipLevel.MEMBER);
        PeerCredential key = accounts.addSshKey(alice.id(), KEY, Optional.empty(), Optional.empty(), Optional.empty());

        assertThat(alice.email()).isEqualTo("alice@example.org");
        assertThat(key.fingerprint()).startsWith("SHA256:");
        assertThat(key.name()).isEqualTo("alice@laptop");
        assertThat(accounts.loginByFingerprint(key.fingerprint())).get().extracting(Accounts.Login::scopes)
                .isEqualTo(Set.of("relay:connect", "metrics:read", "shell:use"));
        assertThat(accounts.memberships(alice.id())).containsValue(Organization.MembershipLevel.MEMBER);

        accounts.revokeCredential(key.fingerprint(), "test");
        String narrowed = TestKeys.line(2, "narrow");
        PeerCredential second = accounts.addSshKey(alice.id(), narrowed, Optional.empty(), Optional.of(Set.of("relay:connect", "admin:all")),
                Optional.empty());
        assertThat(accounts.loginByFingerprint(second.fingerprint())).get().extracting(Accounts.Login::scopes)
                .isEqualTo(Set.of("relay:connect"));
    }

    @Test
    void everyChangeIsAuditedAndARevocationSaysWhy() {
        Accounts accounts = storage.accounts();
        Account alice = accounts.createAccount("alice@example.org", "Alice", Account.AccessLevel.USER, Set.of("relay:connect"));
        PeerCredential key = accounts.addSshKey(alice.id(), KEY, Optional.empty(), Optional.empty(), Optional.empty());

        assertThat(accounts.revokeCredential(key.fingerprint(), "laptop stolen")).isTrue();
        assertThat(accounts.revokeCredential(key.fingerprint(), "again")).isFalse();

        assertThat(accounts.auditLog(10)).extracting(AuditEntry::action)
                .containsExactlyInAnyOrder("account.created", "credential.added", "credential.revoked");
        AuditEntry revoked = accounts.auditLog(10).stream().filter(entry -> entry.action().equals("credential.revoked")).findFirst().orElseThrow();
        assertThat(revoked.credentialId()).contains(key.id());
        assertThat(revoked.ownerId()).contains(alice.id());
        assertThat(revoked.details()).containsEntry("reason", "laptop stolen").containsEntry("fingerprint", key.fingerprint());
    }

    @Test
    void refusesDuplicatesAndBadInputWithClearErrors() {
        Accounts accounts = storage.accounts();
        accounts.createAccount("alice@example.org", "Alice", Account.AccessLevel.USER, Set.of());
        assertThatThrownBy(() -> accounts.createAccount("ALICE@example.org", "Again", Account.AccessLevel.USER, Set.of()))
                .isInstanceOf(AlknetException.class).hasMessageContaining("storage refused the change");
        assertThatThrownBy(() -> accounts.addSshKey("alice@example.org", "ssh-rsa AAAAB3NzaC1yc2E= x", Optional.empty(), Optional.empty(),
                Optional.empty())).hasMessageContaining("only ssh-ed25519");
        assertThatThrownBy(() -> accounts.addSshKey("nobody@example.org", KEY, Optional.empty(), Optional.empty(), Optional.empty()))
                .hasMessageContaining("no account 'nobody@example.org'");
        assertThat(accounts.listAccounts()).hasSize(1);
    }
}
