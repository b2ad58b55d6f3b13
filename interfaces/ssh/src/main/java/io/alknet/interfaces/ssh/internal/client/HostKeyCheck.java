package io.alknet.interfaces.ssh.internal.client;

import io.alknet.api.interfaces.HostKeyVerification;
import io.alknet.interfaces.ssh.OpenSshKeys;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;

import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Verifies the server's host key for one connection, remembering the key it saw and why it was refused,
 * so that a refusal can say what OpenSSH would: an unknown key (verify it, then pin it), a key that differs
 * from the one known or pinned for this host (the host identification has changed: maybe someone in the
 * middle), or a key {@code known_hosts} marks {@code @revoked}. There is no trust-on-first-use: an unknown
 * key is refused unless the user explicitly asked to accept any key.
 */
final class HostKeyCheck implements ServerKeyVerifier {

    /** Why a key was refused. */
    enum Refusal {
        /** No key is known for this host. */
        UNKNOWN,
        /** Another key is known or pinned for this host. */
        CHANGED,
        /** {@code known_hosts} marks the key {@code @revoked}. */
        REVOKED
    }

    private final HostKeyVerification verification;
    private final AtomicReference<PublicKey> seen = new AtomicReference<>();
    private final AtomicReference<Refusal> refusal = new AtomicReference<>();
    private final ServerKeyVerifier knownHosts;

    HostKeyCheck(HostKeyVerification verification) {
        this.verification = verification;
        this.knownHosts = verification instanceof HostKeyVerification.KnownHosts known
                ? new KnownHostsServerKeyVerifier((session, address, key) -> false, known.file()) {
                    @Override
                    protected boolean acceptUnknownHostKey(ClientSession session, SocketAddress address, PublicKey key) {
                        refusal.compareAndSet(null, Refusal.UNKNOWN);
                        return false;
                    }

                    @Override
                    public boolean acceptModifiedServerKey(ClientSession session, SocketAddress address,
                            org.apache.sshd.client.config.hosts.KnownHostEntry entry, PublicKey expected, PublicKey actual) {
                        refusal.compareAndSet(null, Refusal.CHANGED);
                        return false;
                    }

                    @Override
                    protected void handleRevokedKey(ClientSession session, SocketAddress address, PublicKey key) {
                        refusal.compareAndSet(null, Refusal.REVOKED);
                    }
                }
                : null;
    }

    @Override
    public boolean verifyServerKey(ClientSession session, SocketAddress remoteAddress, PublicKey serverKey) {
        seen.set(serverKey);
        boolean accepted = switch (verification) {
            case HostKeyVerification.Pinned pinned -> matchesPin(OpenSshKeys.fingerprint(serverKey), pinned.fingerprints());
            case HostKeyVerification.KnownHosts known -> knownHosts.verifyServerKey(session, remoteAddress, serverKey);
            case HostKeyVerification.AcceptAny any -> true;
        };
        if (!accepted && verification instanceof HostKeyVerification.Pinned) {
            refusal.compareAndSet(null, Refusal.CHANGED);
        }
        return accepted;
    }

    /** Why the key was refused, if it was. */
    Optional<Refusal> refusal() {
        return Optional.ofNullable(refusal.get());
    }

    /** The fingerprint of the key the server presented, if the check ran. */
    String seenFingerprint() {
        PublicKey key = seen.get();
        return key == null ? null : OpenSshKeys.fingerprint(key);
    }

    HostKeyVerification verification() {
        return verification;
    }

    static boolean matchesPin(String fingerprint, List<String> pins) {
        byte[] actual = normalize(fingerprint).getBytes(StandardCharsets.US_ASCII);
        boolean match = false;
        for (String pin : pins) {
            match |= MessageDigest.isEqual(actual, normalize(pin).getBytes(StandardCharsets.US_ASCII));
        }
        return match;
    }

    /** {@code SHA256:abc=} and {@code abc} name the same key. */
    static String normalize(String fingerprint) {
        String value = fingerprint.trim();
        if (value.regionMatches(true, 0, "SHA256:", 0, 7)) {
            value = value.substring(7);
        }
        while (value.endsWith("=")) {
            value = value.substring(0, value.length() - 1);
        }
        return value;
    }
}
