package io.alknet.storage;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.storage.internal.Json;
import io.alknet.storage.internal.ApiKeys;
import io.alknet.storage.internal.SshPublicKey;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Accounts, organisations, memberships, credentials and the audit log. Every change is written with an audit row
 * and a change event in one transaction. Accounts are named by id or e-mail address, organisations by id or slug,
 * credentials by fingerprint (or id), API keys by prefix.
 *
 * <p>Threading: thread-safe; every method blocks on the database.
 */
public final class Accounts {

    private final Storage storage;

    Accounts(Storage storage) {
        this.storage = Objects.requireNonNull(storage, "storage");
    }

    // ---- accounts

    public Account createAccount(String email, String displayName, Account.AccessLevel accessLevel, Set<String> scopes) {
        String address = requireText(email, "email").toLowerCase(Locale.ROOT);
        if (!address.contains("@")) {
            throw new AlknetException(ErrorCode.INVALID_ARGUMENT, "'" + email + "' is not an e-mail address");
        }
        return storage.write(tx -> {
            String id = UUID.randomUUID().toString();
            tx.update("INSERT INTO accounts (id, email, display_name, access_level, status, scopes, created_at, updated_at) "
                            + "VALUES (?, ?, ?, ?, 'active', ?, ?, ?)", id, address, displayName, lower(accessLevel),
                    Json.write(List.copyOf(scopes)), tx.now(), tx.now());
            audit(tx, "account.created", id, null, null, null, Map.of("access_level", lower(accessLevel)));
            tx.emit("accounts:created", id, Map.of("id", id));
            return account(tx, id).orElseThrow();
        });
    }

    public Optional<Account> findAccount(String idOrEmail) {
        return storage.read(tx -> account(tx, idOrEmail));
    }

    public List<Account> listAccounts() {
        return storage.read(tx -> tx.query("SELECT * FROM accounts ORDER BY email", Accounts::account));
    }

    /** Suspends, reactivates or deactivates an account; a suspended account's sessions end at the next check. */
    public Account setStatus(String idOrEmail, Account.Status status) {
        return storage.write(tx -> {
            Account account = requireAccount(tx, idOrEmail);
            tx.update("UPDATE accounts SET status = ?, updated_at = ? WHERE id = ?", lower(status), tx.now(), account.id());
            audit(tx, "account." + lower(status), account.id(), null, null, null, Map.of("previous", lower(account.status())));
            tx.emit("accounts:updated", account.id(), Map.of("id", account.id(), "status", lower(status)));
            return account(tx, account.id()).orElseThrow();
        });
    }

    // ---- organisations

    /** Creates an organisation whose owner is also its first member (level owner). */
    public Organization createOrganization(String name, String slug, String ownerIdOrEmail, Set<String> scopes) {
        requireText(name, "name");
        if (!slug.matches("[a-z0-9][a-z0-9-]{0,62}")) {
            throw new AlknetException(ErrorCode.INVALID_ARGUMENT, "the slug '" + slug + "' must be lowercase letters, digits and '-'");
        }
        return storage.write(tx -> {
            Account owner = requireAccount(tx, ownerIdOrEmail);
            String id = UUID.randomUUID().toString();
            tx.update("INSERT INTO organizations (id, name, slug, owner_id, scopes, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    id, name, slug, owner.id(), Json.write(List.copyOf(scopes)), tx.now(), tx.now());
            insertMember(tx, id, owner.id(), Organization.MembershipLevel.OWNER);
            audit(tx, "organization.created", owner.id(), null, null, id, Map.of("slug", slug));
            tx.emit("organizations:created", id, Map.of("id", id));
            return organization(tx, id).orElseThrow();
        });
    }

    public Optional<Organization> findOrganization(String idOrSlug) {
        return storage.read(tx -> organization(tx, idOrSlug));
    }

    public List<Organization> listOrganizations() {
        return storage.read(tx -> tx.query("SELECT * FROM organizations ORDER BY slug", Accounts::organization));
    }

    public void addMember(String orgIdOrSlug, String accountIdOrEmail, Organization.MembershipLevel level) {
        storage.write(tx -> {
            Organization org = requireOrganization(tx, orgIdOrSlug);
            Account account = requireAccount(tx, accountIdOrEmail);
            insertMember(tx, org.id(), account.id(), level);
            audit(tx, "organization.member_added", account.id(), null, null, org.id(), Map.of("level", lower(level)));
            return null;
        });
    }

    public boolean removeMember(String orgIdOrSlug, String accountIdOrEmail) {
        return storage.write(tx -> {
            Organization org = requireOrganization(tx, orgIdOrSlug);
            Account account = requireAccount(tx, accountIdOrEmail);
            if (org.ownerId().equals(account.id())) {
                throw new AlknetException(ErrorCode.INVALID_ARGUMENT, "the owner of " + org.slug() + " cannot leave it");
            }
            int removed = tx.update("DELETE FROM organization_members WHERE org_id = ? AND account_id = ?", org.id(), account.id());
            if (removed > 0) {
                Acl.membershipChanged(tx, org.id(), account.id(), false);
                audit(tx, "organization.member_removed", account.id(), null, null, org.id(), Map.of());
                tx.emit("organization_members:deleted", org.id() + "/" + account.id(), Map.of("org_id", org.id(), "account_id", account.id()));
            }
            return removed > 0;
        });
    }

    /** The organisations {@code accountId} belongs to, with its level in each. */
    public Map<Organization, Organization.MembershipLevel> memberships(String accountIdOrEmail) {
        return storage.read(tx -> {
            Account account = requireAccount(tx, accountIdOrEmail);
            Map<Organization, Organization.MembershipLevel> result = new LinkedHashMap<>();
            tx.query("SELECT o.*, m.membership_level FROM organization_members m JOIN organizations o ON o.id = m.org_id "
                    + "WHERE m.account_id = ? ORDER BY o.slug", row -> result.put(organization(row),
                    Organization.MembershipLevel.valueOf(row.getString("membership_level").toUpperCase(Locale.ROOT))), account.id());
            return result;
        });
    }

    private static void insertMember(Transaction tx, String orgId, String accountId, Organization.MembershipLevel level) {
        tx.update("INSERT INTO organization_members (id, org_id, account_id, membership_level, created_at, updated_at) "
                + "VALUES (?, ?, ?, ?, ?, ?)", UUID.randomUUID().toString(), orgId, accountId, lower(level), tx.now(), tx.now());
        tx.emit("organization_members:created", orgId + "/" + accountId, Map.of("org_id", orgId, "account_id", accountId, "level", lower(level)));
        Acl.membershipChanged(tx, orgId, accountId, true);
    }

    // ---- SSH keys

    /**
     * Adds an SSH public key for an account.
     *
     * @param publicKey an authorized_keys style line, {@code ssh-ed25519 AAAA… [comment]}; the comment is the name
     *                  unless {@code name} is given
     * @param scopes    a narrowing of the account's scopes for this key; empty = the account's
     * @param ttl       how long the key logs in; empty = until revoked
     */
    public PeerCredential addSshKey(String accountIdOrEmail, String publicKey, Optional<String> name, Optional<Set<String>> scopes,
                                    Optional<Duration> ttl) {
        SshPublicKey key = SshPublicKey.parse(publicKey);
        return storage.write(tx -> {
            Account account = requireAccount(tx, accountIdOrEmail);
            String id = UUID.randomUUID().toString();
            tx.update("INSERT INTO peer_credentials (id, owner_id, credential_type, fingerprint, public_key_data, name, scopes, enabled, "
                            + "expires_at, created_at, updated_at) VALUES (?, ?, 'ssh_key', ?, ?, ?, ?, 1, ?, ?, ?)",
                    id, account.id(), key.fingerprint(), key.type() + " " + key.base64(), name.orElse(key.comment()),
                    scopes.map(set -> Json.write(List.copyOf(set))).orElse(null), ttl.map(d -> tx.now() + d.toSeconds()).orElse(null),
                    tx.now(), tx.now());
            audit(tx, "credential.added", account.id(), id, "ssh_key", null, Map.of("fingerprint", key.fingerprint()));
            tx.emit("peer_credentials:created", id, Map.of("id", id, "owner_id", account.id()));
            return credential(tx, id).orElseThrow();
        });
    }

    /** Revokes the credential with this fingerprint (or id); false when there is none or it was already revoked. */
    public boolean revokeCredential(String fingerprintOrId, String reason) {
        return storage.write(tx -> {
            Optional<PeerCredential> found = tx.queryOne("SELECT * FROM peer_credentials WHERE fingerprint = ? OR id = ?",
                    Accounts::credential, fingerprintOrId, fingerprintOrId);
            if (found.isEmpty() || found.get().revokedAt().isPresent()) {
                return false;
            }
            PeerCredential credential = found.get();
            tx.update("UPDATE peer_credentials SET revoked_at = ?, updated_at = ? WHERE id = ?", tx.now(), tx.now(), credential.id());
            audit(tx, "credential.revoked", credential.ownerId(), credential.id(), lower(credential.type()), null,
                    Map.of("fingerprint", credential.fingerprint(), "reason", reason));
            tx.emit("peer_credentials:revoked", credential.id(), Map.of("id", credential.id(), "owner_id", credential.ownerId()));
            return true;
        });
    }

    public Optional<PeerCredential> findCredential(String fingerprintOrId) {
        return storage.read(tx -> tx.queryOne("SELECT * FROM peer_credentials WHERE fingerprint = ? OR id = ?",
                Accounts::credential, fingerprintOrId, fingerprintOrId));
    }

    public List<PeerCredential> listCredentials(String accountIdOrEmail) {
        return storage.read(tx -> tx.query("SELECT * FROM peer_credentials WHERE owner_id = ? ORDER BY created_at, fingerprint",
                Accounts::credential, requireAccount(tx, accountIdOrEmail).id()));
    }

    // ---- API keys

    /** A key just made: the secret, shown once, and what is stored. */
    public record CreatedApiKey(String key, StoredApiKey stored) {
        @Override
        public String toString() {
            return "CreatedApiKey[" + stored.prefix() + "…]";
        }
    }

    public CreatedApiKey createApiKey(String accountIdOrEmail, String name, Optional<Set<String>> scopes, Optional<Duration> ttl) {
        return storage.write(tx -> {
            Account account = requireAccount(tx, accountIdOrEmail);
            String key = ApiKeys.newKey();
            String id = UUID.randomUUID().toString();
            tx.update("INSERT INTO api_keys (id, owner_id, key_prefix, key_hash, name, scopes, enabled, expires_at, created_at, updated_at) "
                            + "VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?)", id, account.id(), ApiKeys.prefixOf(key), ApiKeys.hash(key),
                    name, scopes.map(set -> Json.write(List.copyOf(set))).orElse(null), ttl.map(d -> tx.now() + d.toSeconds()).orElse(null),
                    tx.now(), tx.now());
            audit(tx, "api_key.created", account.id(), id, "api_key", null, Map.of("prefix", ApiKeys.prefixOf(key)));
            tx.emit("api_keys:created", id, Map.of("id", id, "owner_id", account.id()));
            return new CreatedApiKey(key, apiKey(tx, ApiKeys.prefixOf(key)).orElseThrow());
        });
    }

    /** Revokes the API key with this prefix; false when there is none or it was already revoked. */
    public boolean revokeApiKey(String prefix, String reason) {
        return storage.write(tx -> {
            Optional<StoredApiKey> found = apiKey(tx, prefix);
            if (found.isEmpty() || found.get().revokedAt().isPresent()) {
                return false;
            }
            tx.update("UPDATE api_keys SET revoked_at = ?, updated_at = ? WHERE id = ?", tx.now(), tx.now(), found.get().id());
            audit(tx, "api_key.revoked", found.get().ownerId(), found.get().id(), "api_key", null, Map.of("prefix", prefix, "reason", reason));
            tx.emit("api_keys:revoked", found.get().id(), Map.of("id", found.get().id(), "owner_id", found.get().ownerId()));
            return true;
        });
    }

    // ---- logins

    /** What a login with a credential finds: the credential's row, its account, and the scopes it grants. */
    public record Login(String credentialId, String credentialName, String ownerId, Optional<Long> expiresAt,
                        Optional<Long> revokedAt, boolean enabled, Account account, Set<String> scopes,
                        Optional<Set<String>> narrowing) {
    }

    /** The login an SSH key fingerprint names, if any; the caller decides whether it may log in. */
    public Optional<Login> loginByFingerprint(String fingerprint) {
        return storage.read(tx -> tx.queryOne("SELECT * FROM peer_credentials WHERE fingerprint = ? AND credential_type = 'ssh_key'",
                Accounts::credential, fingerprint).map(credential -> login(tx, credential.id(), credential.name(), credential.ownerId(),
                credential.expiresAt(), credential.revokedAt(), credential.enabled(), credential.scopes())));
    }

    /** The stored API key with {@code prefix} and the login it names, if any; the caller compares the hash. */
    public Optional<Map.Entry<StoredApiKey, Login>> loginByApiKeyPrefix(String prefix) {
        return storage.read(tx -> apiKey(tx, prefix).map(key -> Map.entry(key, login(tx, key.id(), key.name(), key.ownerId(),
                key.expiresAt(), key.revokedAt(), key.enabled(), key.scopes()))));
    }

    private static Login login(Transaction tx, String credentialId, String name, String ownerId, Optional<Long> expiresAt,
                               Optional<Long> revokedAt, boolean enabled, Optional<Set<String>> narrowing) {
        Account account = account(tx, ownerId).orElseThrow();
        Set<String> scopes = new LinkedHashSet<>(account.scopes());
        tx.query("SELECT o.scopes FROM organization_members m JOIN organizations o ON o.id = m.org_id WHERE m.account_id = ?",
                row -> scopes.addAll(Json.strings(row.getString(1))), ownerId);
        narrowing.ifPresent(scopes::retainAll);
        return new Login(credentialId, name, ownerId, expiresAt, revokedAt, enabled, account, scopes, narrowing);
    }

    // ---- audit

    /** Appends an audit row in a transaction of its own. */
    public void audit(String action, String ownerId, String credentialId, String credentialType, Map<String, ?> details) {
        storage.write(tx -> {
            audit(tx, action, ownerId, credentialId, credentialType, null, details);
            return null;
        });
    }

    /** The newest {@code limit} audit rows, newest first. */
    public List<AuditEntry> auditLog(int limit) {
        return storage.read(tx -> tx.query("SELECT * FROM audit_logs ORDER BY created_at DESC, id LIMIT ?", row -> new AuditEntry(
                row.getString("id"), row.getString("action"), Optional.ofNullable(row.getString("owner_id")),
                Optional.ofNullable(row.getString("credential_id")), Optional.ofNullable(row.getString("credential_type")),
                Optional.ofNullable(row.getString("org_id")), Json.object(row.getString("details")), row.getLong("created_at")), limit));
    }

    static void audit(Transaction tx, String action, String ownerId, String credentialId, String credentialType, String orgId,
                      Map<String, ?> details) {
        tx.update("INSERT INTO audit_logs (id, action, owner_id, credential_id, credential_type, org_id, details, created_at, updated_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", UUID.randomUUID().toString(), action, ownerId, credentialId, credentialType,
                orgId, Json.write(details), tx.now(), tx.now());
    }

    // ---- rows

    static Optional<Account> account(Transaction tx, String idOrEmail) {
        return tx.queryOne("SELECT * FROM accounts WHERE id = ? OR email = ?", Accounts::account, idOrEmail,
                idOrEmail.toLowerCase(Locale.ROOT));
    }

    private static Account requireAccount(Transaction tx, String idOrEmail) {
        return account(tx, idOrEmail).orElseThrow(() -> new AlknetException(ErrorCode.INVALID_ARGUMENT,
                "no account '" + idOrEmail + "' (list them with 'alknet account list')"));
    }

    private static Optional<Organization> organization(Transaction tx, String idOrSlug) {
        return tx.queryOne("SELECT * FROM organizations WHERE id = ? OR slug = ?", Accounts::organization, idOrSlug, idOrSlug);
    }

    private static Organization requireOrganization(Transaction tx, String idOrSlug) {
        return organization(tx, idOrSlug).orElseThrow(() -> new AlknetException(ErrorCode.INVALID_ARGUMENT,
                "no organization '" + idOrSlug + "' (list them with 'alknet org list')"));
    }

    private static Optional<PeerCredential> credential(Transaction tx, String id) {
        return tx.queryOne("SELECT * FROM peer_credentials WHERE id = ?", Accounts::credential, id);
    }

    private static Optional<StoredApiKey> apiKey(Transaction tx, String prefix) {
        return tx.queryOne("SELECT * FROM api_keys WHERE key_prefix = ?", row -> new StoredApiKey(row.getString("id"),
                row.getString("owner_id"), row.getString("key_prefix"), row.getString("key_hash"), row.getString("name"),
                narrowing(row.getString("scopes")), row.getInt("enabled") != 0, optionalLong(row, "expires_at"),
                optionalLong(row, "revoked_at"), row.getLong("created_at")), prefix);
    }

    private static Account account(ResultSet row) throws SQLException {
        return new Account(row.getString("id"), row.getString("email"), row.getString("display_name"),
                Account.AccessLevel.valueOf(row.getString("access_level").toUpperCase(Locale.ROOT)),
                Account.Status.valueOf(row.getString("status").toUpperCase(Locale.ROOT)), Json.strings(row.getString("scopes")),
                row.getLong("created_at"), row.getLong("updated_at"));
    }

    private static Organization organization(ResultSet row) throws SQLException {
        return new Organization(row.getString("id"), row.getString("name"), row.getString("slug"), row.getString("owner_id"),
                Json.strings(row.getString("scopes")), row.getLong("created_at"));
    }

    private static PeerCredential credential(ResultSet row) throws SQLException {
        return new PeerCredential(row.getString("id"), row.getString("owner_id"),
                PeerCredential.Type.valueOf(row.getString("credential_type").toUpperCase(Locale.ROOT)), row.getString("fingerprint"),
                row.getString("public_key_data"), row.getString("name"), narrowing(row.getString("scopes")), row.getInt("enabled") != 0,
                optionalLong(row, "expires_at"), optionalLong(row, "revoked_at"), row.getLong("created_at"));
    }

    private static Optional<Set<String>> narrowing(String json) {
        return json == null ? Optional.empty() : Optional.of(Json.strings(json));
    }

    private static Optional<Long> optionalLong(ResultSet row, String column) throws SQLException {
        long value = row.getLong(column);
        return row.wasNull() ? Optional.empty() : Optional.of(value);
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    private static String requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new AlknetException(ErrorCode.INVALID_ARGUMENT, "the " + what + " must not be empty");
        }
        return value.strip();
    }
}
