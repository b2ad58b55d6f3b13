package io.alknet.secret;

import io.alknet.api.identity.CredentialProvider;
import io.alknet.api.identity.CredentialSet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The default {@link CredentialProvider} (spec ADR-036): the {@link CredentialStore}'s sets, decrypted into memory
 * when the secret service unlocks and dropped when it locks. While locked every request fails with {@code LOCKED}, so
 * a handler reports why it has no credentials instead of calling a service without them. {@link #refresh} re-reads
 * the store (after {@code alknet credentials add} changed it).
 *
 * <p>Thread-safe: lookups read an immutable map that Unlock, Lock and refresh replace; {@link #refresh} may block
 * briefly (it decrypts), so call it from a virtual thread.
 *
 * <p>What it can promise about memory: the decrypted sets are Java {@code String}s (the API's records), which cannot
 * be wiped; Lock drops every reference so they become garbage, as docs/secret.md explains.
 */
public final class SecretCredentialProvider implements CredentialProvider, SecretService.Listener {

    private static final System.Logger LOG = System.getLogger("alknet.secret");

    private final SecretService secrets;
    private final CredentialStore store;
    private volatile Map<String, CredentialSet> loaded = Map.of();

    /** A provider over {@code store}; it listens to {@code secrets} and loads at once if it is unlocked. */
    public SecretCredentialProvider(SecretService secrets, CredentialStore store) {
        this.secrets = Objects.requireNonNull(secrets, "secrets");
        this.store = Objects.requireNonNull(store, "store");
        secrets.addListener(this);
        if (secrets.isUnlocked()) {
            unlocked(secrets);
        }
    }

    /**
     * @throws SecretException {@code LOCKED} while the secret service is locked
     */
    @Override
    public Optional<CredentialSet> credentials(String service) {
        if (!secrets.isUnlocked()) {
            throw SecretException.locked();
        }
        return Optional.ofNullable(loaded.get(service));
    }

    /** Re-reads and decrypts the whole store, then answers like {@link #credentials}. */
    @Override
    public Optional<CredentialSet> refresh(String service) {
        if (!secrets.isUnlocked()) {
            throw SecretException.locked();
        }
        load();
        return credentials(service);
    }

    @Override
    public void unlocked(SecretService service) {
        load();
    }

    /** Waits for a load in progress, so that no decrypted set survives the Lock. */
    @Override
    public synchronized void locked() {
        loaded = Map.of();
    }

    private synchronized void load() {
        Map<String, CredentialSet> next = new HashMap<>();
        try {
            for (CredentialStore.Entry entry : store.entries()) {
                try {
                    next.put(entry.service(), CredentialStore.open(entry, secrets));
                } catch (SecretException e) {
                    if (e.code().equals(SecretException.LOCKED)) {
                        return;
                    }
                    LOG.log(System.Logger.Level.WARNING, "credentials.entry.unreadable service={0} reason={1}", entry.service(), e.code());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the credential store " + store.file() + ": " + e.getMessage(), e);
        }
        if (secrets.isUnlocked()) {
            loaded = Map.copyOf(next);
        }
        LOG.log(System.Logger.Level.INFO, "credentials.loaded count={0}", next.size());
    }

    @Override
    public String toString() {
        return "SecretCredentialProvider[" + store.file() + ", " + (secrets.isUnlocked() ? loaded.size() + " services" : "locked") + "]";
    }
}
