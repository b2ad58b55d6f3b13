package io.alknet.storage.internal;

import io.alknet.api.Identity;
import io.alknet.api.identity.Credential;
import io.alknet.api.identity.IdentityProvider;
import io.alknet.api.identity.IdentityResolution;
import io.alknet.storage.Account;
import io.alknet.storage.Acl;
import io.alknet.storage.Accounts;
import io.alknet.storage.Storage;
import io.alknet.storage.StoredApiKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Resolves SSH keys and API keys against the storage: fingerprint (or API key prefix, then its hash compared in
 * constant time) → credential → account → organisation memberships → effective scopes. A revoked, disabled or
 * expired credential and a suspended or deactivated account are refused with distinct reasons, each written to
 * the audit log. Looked up on every login and every revalidation, so a revocation holds from the next one.
 *
 * <p>Threading: thread-safe. Resolution reads the database on the calling thread (a local SQLite file, or a
 * PostgreSQL round trip); audit rows are written on a virtual thread. Closed by the kernel when a reload replaces it.
 */
final class StorageIdentityProvider implements IdentityProvider {

    private static final Logger LOG = LoggerFactory.getLogger(StorageIdentityProvider.class);
    private static final int MAX_API_KEY = 200;

    /** What an identity's id is. */
    enum IdentityId {
        /** The account's id (spec: DB mode): every key of an account is one identity. */
        ACCOUNT,
        /** The key's fingerprint or API key prefix, as the file-based providers give it, so existing policy rules keep matching. */
        CREDENTIAL
    }

    private final Storage storage;
    private final Accounts accounts;
    private final IdentityId identityId;
    private final Clock clock;
    private final AtomicBoolean closed = new AtomicBoolean();

    StorageIdentityProvider(Storage storage, IdentityId identityId, Clock clock) {
        this.storage = Objects.requireNonNull(storage, "storage");
        this.accounts = storage.accounts();
        this.identityId = Objects.requireNonNull(identityId, "identityId");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public IdentityResolution resolve(Credential.PublicKey credential) {
        Optional<Accounts.Login> login;
        try {
            login = accounts.loginByFingerprint(credential.fingerprint());
        } catch (RuntimeException e) {
            LOG.warn("storage.lookup.failed error={}", e.toString());
            return IdentityResolution.rejected("storage_unavailable");
        }
        return login.map(found -> decide(found, credential.fingerprint(), "ssh_key")).orElseGet(IdentityResolution::unknown);
    }

    @Override
    public IdentityResolution resolve(Credential.ApiKey credential) {
        String key = credential.key();
        if (!key.startsWith(ApiKeys.KEY_PREFIX) || key.length() <= ApiKeys.PREFIX_LENGTH || key.length() > MAX_API_KEY) {
            return IdentityResolution.unknown();
        }
        String prefix = ApiKeys.prefixOf(key);
        Optional<Map.Entry<StoredApiKey, Accounts.Login>> found;
        try {
            found = accounts.loginByApiKeyPrefix(prefix);
        } catch (RuntimeException e) {
            LOG.warn("storage.lookup.failed error={}", e.toString());
            return IdentityResolution.rejected("storage_unavailable");
        }
        if (found.isEmpty()) {
            return IdentityResolution.unknown();
        }
        if (!ApiKeys.matches(found.get().getKey().hash(), key)) {
            return refuse(found.get().getValue(), "apikey_invalid", "api_key");
        }
        return decide(found.get().getValue(), prefix, "api_key");
    }

    private IdentityResolution decide(Accounts.Login login, String credentialLabel, String credentialType) {
        long now = clock.instant().getEpochSecond();
        if (login.revokedAt().isPresent()) {
            return refuse(login, "credential_revoked", credentialType);
        }
        if (!login.enabled()) {
            return refuse(login, "credential_disabled", credentialType);
        }
        if (login.expiresAt().isPresent() && now >= login.expiresAt().get()) {
            return refuse(login, "credential_expired", credentialType);
        }
        switch (login.account().status()) {
            case SUSPENDED -> {
                return refuse(login, "account_suspended", credentialType);
            }
            case DEACTIVATED -> {
                return refuse(login, "account_deactivated", credentialType);
            }
            case ACTIVE -> {
                // may log in
            }
        }
        Account account = login.account();
        // what the ACL graph grants the account's principal comes on top, narrowed by the credential like the rest
        Set<String> scopes = new TreeSet<>(login.scopes());
        Map<String, List<String>> resources = Map.of();
        Optional<Acl> acl = Acl.existing(storage);
        if (acl.isPresent()) {
            Identity granted = acl.get().identityOf(Acl.accountKey(account.id()), account.label());
            scopes.addAll(granted.scopes());
            login.narrowing().ifPresent(scopes::retainAll);
            resources = granted.resources();
        }
        Identity identity = switch (identityId) {
            case ACCOUNT -> new Identity(account.id(), account.label(), scopes, resources);
            case CREDENTIAL -> new Identity(credentialLabel, login.credentialName().isBlank() ? credentialLabel : login.credentialName(),
                    scopes, resources);
        };
        return IdentityResolution.resolved(identity);
    }

    private IdentityResolution refuse(Accounts.Login login, String reason, String credentialType) {
        if (!closed.get()) {
            Thread.ofVirtual().name("alknet-storage-audit").start(() -> {
                try {
                    accounts.audit("auth.refused", login.ownerId(), login.credentialId(), credentialType, Map.of("reason", reason));
                } catch (RuntimeException e) {
                    LOG.warn("storage.audit.failed action=auth.refused error={}", e.toString());
                }
            });
        }
        return IdentityResolution.rejected(reason);
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            SharedStorages.release(storage);
        }
    }
}
