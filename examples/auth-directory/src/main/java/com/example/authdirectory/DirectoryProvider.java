package com.example.authdirectory;

import io.alknet.api.Identity;
import io.alknet.api.identity.Credential;
import io.alknet.api.identity.IdentityProvider;
import io.alknet.api.identity.IdentityResolution;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Resolves credentials against the accounts of a directory file:
 * <ul>
 *   <li>an SSH public key ({@link Credential.PublicKey}) by its {@code SHA256:} fingerprint in {@code keys=};</li>
 *   <li>a bearer secret — a {@link Credential.Token} or {@link Credential.ApiKey}, e.g. HTTP's
 *       {@code Authorization: Bearer SECRET} — by the SHA-256 of the secret in {@code tokens=}, compared
 *       with {@link MessageDigest#isEqual} against every hash of every entry (no early exit).</li>
 * </ul>
 * A credential no entry lists is {@link IdentityResolution#unknown() unknown}, so the next provider in the
 * chain ({@code keys}, {@code apikey}, …) may answer it. A credential an entry lists resolves to the identity
 * {@code id=uid}, {@code name=name}, {@code scopes=scopes} — unless the account is disabled
 * ({@code account_disabled}), expired ({@code account_expired}) or, with {@code match-user}, an SSH login
 * asked for another user name ({@code user_mismatch}): then it is {@link IdentityResolution#rejected rejected},
 * and the chain stops.
 *
 * <p>Immutable and thread-safe: the kernel calls it from many sessions at once, and a reload creates a new
 * provider. It never blocks: the file was read by the factory.
 */
final class DirectoryProvider implements IdentityProvider {

    /** Longer bearer values are nobody's secret; they are not even hashed. */
    private static final int MAX_SECRET = 4096;

    private final List<DirectoryEntry> entries;
    private final Clock clock;
    private final boolean matchUser;

    DirectoryProvider(List<DirectoryEntry> entries, Clock clock, boolean matchUser) {
        this.entries = List.copyOf(entries);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.matchUser = matchUser;
    }

    @Override
    public IdentityResolution resolve(Credential.PublicKey credential) {
        byte[] presented = credential.fingerprint().getBytes(StandardCharsets.US_ASCII);
        DirectoryEntry match = null;
        for (DirectoryEntry entry : entries) {
            for (String key : entry.keys()) {
                // fingerprints are public, but looking at every entry costs nothing and keeps timing flat
                if (MessageDigest.isEqual(key.getBytes(StandardCharsets.US_ASCII), presented) & match == null) {
                    match = entry;
                }
            }
        }
        if (match == null) {
            return IdentityResolution.unknown();
        }
        if (matchUser && !credential.user().isEmpty() && !credential.user().equals(match.uid())) {
            return IdentityResolution.rejected("user_mismatch");
        }
        return decide(match);
    }

    @Override
    public IdentityResolution resolve(Credential.Token credential) {
        return bearer(credential.token());
    }

    @Override
    public IdentityResolution resolve(Credential.ApiKey credential) {
        return bearer(credential.key());
    }

    private IdentityResolution bearer(String secret) {
        if (secret.isEmpty() || secret.length() > MAX_SECRET) {
            return IdentityResolution.unknown();
        }
        byte[] presented = DirectoryFile.sha256(secret.getBytes(StandardCharsets.UTF_8));
        DirectoryEntry match = null;
        for (DirectoryEntry entry : entries) {
            for (byte[] hash : entry.secretHashes()) {
                // constant time, and every hash is compared: timing does not tell which entry (if any) matched
                if (MessageDigest.isEqual(hash, presented) & match == null) {
                    match = entry;
                }
            }
        }
        return match == null ? IdentityResolution.unknown() : decide(match);
    }

    /** The account is known: it is either refused with its reason, or resolved. */
    private IdentityResolution decide(DirectoryEntry entry) {
        if (entry.disabled()) {
            return IdentityResolution.rejected("account_disabled");
        }
        if (entry.expires().isPresent() && !clock.instant().isBefore(entry.expires().get())) {
            return IdentityResolution.rejected("account_expired");
        }
        return IdentityResolution.resolved(new Identity(entry.uid(), entry.name(), entry.scopes(), Map.of()));
    }

    /** The number of accounts, for tests. */
    int size() {
        return entries.size();
    }
}
