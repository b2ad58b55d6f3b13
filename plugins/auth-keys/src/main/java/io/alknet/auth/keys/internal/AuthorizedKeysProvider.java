package io.alknet.auth.keys.internal;

import io.alknet.api.Identity;
import io.alknet.api.identity.Credential;
import io.alknet.api.identity.IdentityProvider;
import io.alknet.api.identity.IdentityResolution;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Resolves credentials against {@code authorized_keys} and trusted certificate authorities:
 * <ul>
 *   <li>an SSH public key listed as a plain line: identity id = the key's {@code SHA256:} fingerprint, name
 *       = the line's comment, scopes {@code relay:connect} unless the line says {@code no-port-forwarding}
 *       or {@code restrict}, plus those of alknet's {@code scopes="a,b"} option (operation access); a line with
 *       alknet's {@code iroh-endpoint="ID"} option logs in only over iroh from that endpoint (the endpoint id the
 *       transport proved, {@link io.alknet.api.stream.PeerInfo#transportIdentity()});</li>
 *   <li>an OpenSSH user certificate signed by a {@code cert-authority} line or a key of the trusted-CA file
 *       (checks in OpenSSH's order: CA trusted, CA signature, validity window, principals, critical
 *       options, required extensions); identity id = the certified key's fingerprint, name = the key id,
 *       scopes {@code relay:connect} when the certificate permits port forwarding, plus the CA line's {@code scopes="…"};</li>
 *   <li>a signed token (spec ADR-023) from a listed key: the same identity its SSH login would get.</li>
 * </ul>
 * Each refusal carries its own reason code for the fail2ban log. Immutable; keys are compared in constant
 * time against every entry. A CA key never logs in as a plain key.
 */
final class AuthorizedKeysProvider implements IdentityProvider {

    /** Critical options we enforce or may safely tolerate (alknet runs no commands and has no pty). */
    private static final java.util.Set<String> TOLERATED_CRITICAL = java.util.Set.of("source-address", "force-command", "no-pty");

    private final List<AuthorizedKey> keys;
    private final Clock clock;
    private final boolean tokens;
    private final java.time.Duration tokenMaxAge;

    AuthorizedKeysProvider(List<AuthorizedKey> keys, Clock clock) {
        this(keys, clock, true, io.alknet.api.identity.AuthToken.DEFAULT_MAX_AGE);
    }

    AuthorizedKeysProvider(List<AuthorizedKey> keys, Clock clock, boolean tokens, java.time.Duration tokenMaxAge) {
        this.keys = List.copyOf(keys);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.tokens = tokens;
        this.tokenMaxAge = Objects.requireNonNull(tokenMaxAge, "tokenMaxAge");
    }

    @Override
    public IdentityResolution resolve(Credential.PublicKey credential) {
        if (!AuthorizedKeysFile.ED25519.equals(credential.keyType())) {
            return IdentityResolution.rejected("key_type_not_allowed");
        }
        return resolveKey(credential.blob(), credential);
    }

    /** The identity a plain key line gives, with its expiry and source checks. */
    private IdentityResolution resolveKey(byte[] blob, Credential credential) {
        AuthorizedKey match = find(blob, false);
        if (match == null) {
            return IdentityResolution.unknown();
        }
        if (match.expiresAt().isPresent() && !clock.instant().isBefore(match.expiresAt().get())) {
            return IdentityResolution.rejected("key_expired");
        }
        if (!match.from().isEmpty() && !SourcePatterns.matches(match.from(), address(credential))) {
            return IdentityResolution.rejected("source_not_allowed");
        }
        if (!match.irohEndpoints().isEmpty() && !fromIrohEndpoint(match.irohEndpoints(), credential)) {
            return IdentityResolution.rejected("iroh_endpoint_not_allowed");
        }
        Set<String> scopes = new java.util.HashSet<>(match.scopes());
        if (match.portForwarding()) {
            scopes.add(Identity.RELAY_CONNECT);
        }
        String name = match.comment().isBlank() ? match.fingerprint() : match.comment();
        return IdentityResolution.resolved(Identity.of(match.fingerprint(), name, scopes).withQuota(match.quota()));
    }

    @Override
    public IdentityResolution resolve(Credential.Certificate credential) {
        SshCertificate certificate;
        try {
            certificate = SshCertificate.parse(credential.certificateBlob());
        } catch (IllegalArgumentException e) {
            return IdentityResolution.rejected("cert_malformed");
        }
        if (certificate.type() != SshCertificate.USER) {
            return IdentityResolution.rejected("cert_not_user_certificate");
        }
        AuthorizedKey authority = find(certificate.caKeyBlob(), true);
        if (authority == null) {
            return IdentityResolution.rejected("cert_untrusted_ca");
        }
        if (!certificate.signatureValid()) {
            return IdentityResolution.rejected("cert_bad_signature");
        }
        java.time.Instant now = clock.instant();
        if (certificate.notYetValid(now)) {
            return IdentityResolution.rejected("cert_not_yet_valid");
        }
        if (certificate.expired(now)) {
            return IdentityResolution.rejected("cert_expired");
        }
        if (authority.expiresAt().isPresent() && !now.isBefore(authority.expiresAt().get())) {
            return IdentityResolution.rejected("cert_authority_expired");
        }
        if (!principalAllowed(certificate, authority, credential.user())) {
            return IdentityResolution.rejected("cert_principal_mismatch");
        }
        for (var option : certificate.criticalOptions().entrySet()) {
            if (!TOLERATED_CRITICAL.contains(option.getKey())) {
                return IdentityResolution.rejected("cert_unknown_critical_option");
            }
        }
        String sources = certificate.criticalOptions().get("source-address");
        if (sources != null && !SourcePatterns.matches(java.util.Arrays.stream(sources.split(",")).map(String::strip).toList(),
                address(credential))) {
            return IdentityResolution.rejected("cert_source_not_allowed");
        }
        if (!authority.from().isEmpty() && !SourcePatterns.matches(authority.from(), address(credential))) {
            return IdentityResolution.rejected("source_not_allowed");
        }
        boolean forwardingExtension = certificate.extensions().containsKey("permit-port-forwarding");
        if (authority.requireForwardingExtension() && !forwardingExtension) {
            return IdentityResolution.rejected("cert_extension_missing");
        }
        Set<String> scopes = new java.util.HashSet<>(authority.scopes());
        if (forwardingExtension && authority.portForwarding()) {
            scopes.add(Identity.RELAY_CONNECT);
        }
        String fingerprint = AuthorizedKeysFile.fingerprint(certificate.certifiedKeyBlob());
        String name = certificate.keyId().isBlank() ? fingerprint : certificate.keyId();
        return IdentityResolution.resolved(new Identity(fingerprint, name, scopes,
                java.util.Map.of("principals", certificate.principals()), authority.quota()));
    }

    /**
     * OpenSSH's rule: a CA line with {@code principals="…"} needs one of those in the certificate; otherwise
     * the user name must be listed, and a certificate without principals is valid for any user (spec 7.2).
     */
    private static boolean principalAllowed(SshCertificate certificate, AuthorizedKey authority, String user) {
        if (!authority.principals().isEmpty()) {
            return certificate.principals().stream().anyMatch(authority.principals()::contains);
        }
        return certificate.principals().isEmpty() || certificate.principals().contains(user);
    }

    @Override
    public IdentityResolution resolve(Credential.Token credential) {
        if (!tokens) {
            return IdentityResolution.unknown();
        }
        io.alknet.api.identity.AuthToken token;
        try {
            token = io.alknet.api.identity.AuthToken.parse(credential.token());
        } catch (io.alknet.api.AlknetException e) {
            // not an alknet token: another provider in the chain may own this bearer format
            return IdentityResolution.unknown();
        }
        AuthorizedKey key = null;
        for (AuthorizedKey candidate : keys) {
            if (token.isFor(candidate.blob()) & !candidate.certAuthority() & key == null) {
                key = candidate;
            }
        }
        if (key == null) {
            return IdentityResolution.unknown();
        }
        if (!token.verify(key.blob())) {
            return IdentityResolution.rejected("token_bad_signature");
        }
        if (!token.isFresh(clock.instant(), tokenMaxAge)) {
            return IdentityResolution.rejected("token_expired");
        }
        return resolveKey(key.blob(), credential);
    }

    /** The entry holding this key blob among CA lines or plain lines; every entry is compared. */
    private AuthorizedKey find(byte[] blob, boolean certAuthority) {
        AuthorizedKey match = null;
        for (AuthorizedKey key : keys) {
            // no early exit: the time taken does not depend on which entry matches
            if (key.sameKey(blob) & key.certAuthority() == certAuthority & match == null) {
                match = key;
            }
        }
        return match;
    }

    /** Whether the credential arrived over iroh from one of {@code ids} (the transport proved the endpoint id). */
    private static boolean fromIrohEndpoint(List<String> ids, Credential credential) {
        return "iroh".equals(credential.peer().transport())
                && credential.peer().transportIdentity().map(id -> ids.contains(id.toLowerCase(java.util.Locale.ROOT))).orElse(false);
    }

    private static Optional<InetAddress> address(Credential credential) {
        return credential.peer().remoteAddress()
                .filter(InetSocketAddress.class::isInstance)
                .map(a -> ((InetSocketAddress) a).getAddress());
    }

    /** The number of keys that can log in, for logs and tests. */
    int loginKeys() {
        return (int) keys.stream().filter(k -> !k.certAuthority()).count();
    }
}
