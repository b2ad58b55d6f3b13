package io.alknet.auth.apikey.internal;

import io.alknet.auth.apikey.ApiKeyEntry;
import io.alknet.auth.apikey.ApiKeys;
import io.alknet.api.Identity;
import io.alknet.api.identity.Credential;
import io.alknet.api.identity.IdentityProvider;
import io.alknet.api.identity.IdentityResolution;

import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * Resolves API keys ({@code alk_…}) against the entries of the key files. The identity id is the key's
 * public prefix, its name the entry's description, its scopes the entry's. Every entry is looked at and
 * the secret is compared as a hash in constant time. Immutable: a reload creates a new provider.
 */
final class ApiKeyProvider implements IdentityProvider {

    private final List<ApiKeyEntry> entries;
    private final Clock clock;

    ApiKeyProvider(List<ApiKeyEntry> entries, Clock clock) {
        this.entries = List.copyOf(entries);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public IdentityResolution resolve(Credential.ApiKey credential) {
        String key = credential.key();
        if (!key.startsWith(ApiKeys.KEY_PREFIX)) {
            return IdentityResolution.unknown();
        }
        if (key.length() <= ApiKeys.PREFIX_LENGTH || key.length() > 200) {
            return IdentityResolution.rejected("apikey_malformed");
        }
        String prefix = ApiKeys.prefixOf(key);
        ApiKeyEntry match = null;
        for (ApiKeyEntry entry : entries) {
            if (entry.prefix().equals(prefix) && match == null) {
                match = entry;
            }
        }
        if (match == null) {
            return IdentityResolution.unknown();
        }
        if (!ApiKeys.matches(match, key)) {
            return IdentityResolution.rejected("apikey_invalid");
        }
        if (match.expired(clock.instant())) {
            return IdentityResolution.rejected("apikey_expired");
        }
        String name = match.description().isBlank() ? match.prefix() : match.description();
        return IdentityResolution.resolved(Identity.of(match.prefix(), name, match.scopes()).withQuota(match.quota()));
    }

    int size() {
        return entries.size();
    }
}
