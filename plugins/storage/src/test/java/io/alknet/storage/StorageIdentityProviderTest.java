package io.alknet.storage;

import io.alknet.api.Identity;
import io.alknet.api.identity.Credential;
import io.alknet.api.identity.IdentityProvider;
import io.alknet.api.identity.IdentityResolution;
import io.alknet.api.plugin.Settings;
import io.alknet.api.stream.PeerInfo;
import io.alknet.api.transport.SecurityLevel;
import io.alknet.storage.internal.StorageIdentityProviderFactory;
import io.alknet.testkit.contract.TestPluginContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Logins through the storage provider: who gets in, with which scopes, and why the others do not. */
@ParameterizedClass
@EnumSource(Backend.class)
class StorageIdentityProviderTest extends StorageTestBase {

    private IdentityProvider provider;
    private Accounts accounts;
    private Account alice;

    @BeforeEach
    void provider() {
        accounts = storage.accounts();
        alice = accounts.createAccount("alice@example.org", "Alice", Account.AccessLevel.USER, Set.of("relay:connect"));
        provider = provider("account");
    }

    @AfterEach
    void closeProvider() {
        provider.close();
    }

    static Map<String, String> settings(StorageOptions options, String identityId) throws Exception {
        Map<String, String> values = new HashMap<>(Map.of("url", options.url().jdbcUrl(), "identity-id", identityId));
        options.user().ifPresent(user -> values.put("user", user));
        if (options.password().isPresent()) {
            java.nio.file.Path file = java.nio.file.Files.createTempFile("storage-password", "");
            java.nio.file.Files.writeString(file, options.password().get() + "\n");
            file.toFile().deleteOnExit();
            values.put("password-file", file.toString());
        }
        return values;
    }

    IdentityProvider provider(String identityId) {
        try {
            return new StorageIdentityProviderFactory().create(Settings.of("identity.storage.", settings(options, identityId)),
                    TestPluginContext.in(directory));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static PeerInfo peer() {
        return PeerInfo.socket("tcp", SecurityLevel.UNPROTECTED, new InetSocketAddress("127.0.0.1", 40000), new InetSocketAddress("127.0.0.1", 2222));
    }

    static Credential.PublicKey key(int seed) {
        return new Credential.PublicKey(peer(), "alice", "ssh-ed25519", TestKeys.blob(seed), TestKeys.fingerprint(seed));
    }

    @Test
    void aStoredKeyLogsInAsItsAccountWithItsScopes() {
        accounts.addSshKey(alice.id(), TestKeys.line(1, "laptop"), Optional.empty(), Optional.empty(), Optional.empty());

        assertThat(provider.resolve(key(1))).isEqualTo(IdentityResolution.resolved(Identity.of(alice.id(), "Alice", Set.of("relay:connect"))));
        assertThat(provider.resolve(key(2))).isInstanceOf(IdentityResolution.Unknown.class);
    }

    @Test
    void revokedExpiredAndSuspendedAreRefusedWithDistinctReasonsAndAudited() throws InterruptedException {
        accounts.addSshKey(alice.id(), TestKeys.line(1, "revoked"), Optional.empty(), Optional.empty(), Optional.empty());
        accounts.addSshKey(alice.id(), TestKeys.line(2, "expired"), Optional.empty(), Optional.empty(), Optional.of(Duration.ZERO));
        Account bob = accounts.createAccount("bob@example.org", "Bob", Account.AccessLevel.USER, Set.of("relay:connect"));
        accounts.addSshKey(bob.id(), TestKeys.line(3, "bob"), Optional.empty(), Optional.empty(), Optional.empty());
        accounts.revokeCredential(TestKeys.fingerprint(1), "test");
        accounts.setStatus("bob@example.org", Account.Status.SUSPENDED);

        assertThat(provider.resolve(key(1))).isEqualTo(IdentityResolution.rejected("credential_revoked"));
        assertThat(provider.resolve(key(2))).isEqualTo(IdentityResolution.rejected("credential_expired"));
        assertThat(provider.resolve(key(3))).isEqualTo(IdentityResolution.rejected("account_suspended"));
        accounts.setStatus("bob@example.org", Account.Status.DEACTIVATED);
        assertThat(provider.resolve(key(3))).isEqualTo(IdentityResolution.rejected("account_deactivated"));
        accounts.setStatus("bob@example.org", Account.Status.ACTIVE);
        assertThat(provider.resolve(key(3))).isInstanceOf(IdentityResolution.Resolved.class);

        Eventually.holds(Duration.ofSeconds(10), () -> assertThat(accounts.auditLog(100).stream()
                .filter(entry -> entry.action().equals("auth.refused")).map(entry -> entry.details().get("reason")))
                .containsExactlyInAnyOrder("credential_revoked", "credential_expired", "account_suspended", "account_deactivated"));
    }

    @Test
    void apiKeysAreFoundByPrefixAndCheckedByHash() {
        Accounts.CreatedApiKey created = accounts.createApiKey(alice.id(), "ci", Optional.of(Set.of("relay:connect")), Optional.empty());
        String key = created.key();
        String wrong = key.substring(0, key.length() - 1) + (key.endsWith("a") ? "b" : "a");

        assertThat(created.stored().hash()).startsWith("sha256:").doesNotContain(key);
        assertThat(provider.resolve(new Credential.ApiKey(peer(), "", key)))
                .isEqualTo(IdentityResolution.resolved(Identity.of(alice.id(), "Alice", Set.of("relay:connect"))));
        assertThat(provider.resolve(new Credential.ApiKey(peer(), "", wrong))).isEqualTo(IdentityResolution.rejected("apikey_invalid"));
        accounts.revokeApiKey(created.stored().prefix(), "rotated");
        assertThat(provider.resolve(new Credential.ApiKey(peer(), "", key))).isEqualTo(IdentityResolution.rejected("credential_revoked"));
    }

    @Test
    void theAclGraphAddsItsScopesAndResourcesToTheAccountsIdentityNarrowedByTheKey() {
        accounts.addSshKey(alice.id(), TestKeys.line(1, "laptop"), Optional.empty(), Optional.empty(), Optional.empty());
        accounts.addSshKey(alice.id(), TestKeys.line(2, "narrow"), Optional.empty(), Optional.of(Set.of("relay:connect")), Optional.empty());
        Acl acl = Acl.of(storage);
        acl.addPrincipal(Acl.accountKey(alice.id()), Acl.IdentityType.ACCOUNT, alice.id(), Set.of("metrics:read"));
        acl.addResource("db", "database");
        acl.grant(Acl.accountKey(alice.id()), Acl.Action.READ, "db");

        assertThat(provider.resolve(key(1))).isEqualTo(IdentityResolution.resolved(new Identity(alice.id(), "Alice",
                Set.of("relay:connect", "metrics:read"), Map.of("database:db", java.util.List.of("read")))));
        assertThat(((IdentityResolution.Resolved) provider.resolve(key(2))).identity().scopes()).containsExactly("relay:connect");
    }

    @Test
    void aMembershipWrittenInTheTableBringsItsOrganisationsAclGrantsAndItsRemovalTakesThemAway() {
        accounts.addSshKey(alice.id(), TestKeys.line(1, "laptop"), Optional.empty(), Optional.empty(), Optional.empty());
        Account bob = accounts.createAccount("bob@example.org", "Bob", Account.AccessLevel.ADMIN, Set.of());
        Organization ops = accounts.createOrganization("Operations", "ops", bob.id(), Set.of());
        Acl acl = Acl.of(storage);
        acl.addPrincipal(Acl.accountKey(alice.id()), Acl.IdentityType.ACCOUNT, alice.id(), Set.of());
        acl.addPrincipal(Acl.orgKey(ops.id()), Acl.IdentityType.ORG, ops.id(), Set.of("deploy:run"));
        acl.addResource("pipeline", "ci");
        acl.grant(Acl.orgKey(ops.id()), Acl.Action.EXECUTE, "pipeline");

        accounts.addMember("ops", alice.id(), Organization.MembershipLevel.MEMBER);
        Identity member = ((IdentityResolution.Resolved) provider.resolve(key(1))).identity();
        assertThat(member.scopes()).contains("deploy:run");
        assertThat(member.resources()).isEqualTo(Map.of("ci:pipeline", java.util.List.of("execute")));

        accounts.removeMember("ops", alice.id());
        Identity former = ((IdentityResolution.Resolved) provider.resolve(key(1))).identity();
        assertThat(former.scopes()).doesNotContain("deploy:run");
        assertThat(former.resources()).isEmpty();
    }

    @Test
    void inCredentialModeTheIdentityIsTheKeysAsTheFileProvidersGiveIt() {
        accounts.addSshKey(alice.id(), TestKeys.line(1, "alice@laptop"), Optional.empty(), Optional.empty(), Optional.empty());
        try (IdentityProvider byCredential = provider("credential")) {
            assertThat(byCredential.resolve(key(1))).isEqualTo(IdentityResolution.resolved(
                    Identity.of(TestKeys.fingerprint(1), "alice@laptop", Set.of("relay:connect"))));
        }
    }
}
