package io.alknet.api.identity;

import io.alknet.api.stream.PeerInfo;

import java.util.Arrays;
import java.util.Objects;

/**
 * A credential a peer presented, as the interface received it. The interface has already checked any
 * proof of possession it carries (the SSH signature); providers decide whether the credential is
 * known and whom it names.
 */
public sealed interface Credential {

    /** The connection the credential arrived on. */
    PeerInfo peer();

    /** The user name the peer asked for (SSH user), or empty. */
    String user();

    /** A short, non-secret label of the credential for log lines (a fingerprint, a key id). */
    String label();

    /**
     * The authentication method for log lines: {@code publickey}, {@code publickey-cert}, {@code token} or
     * {@code apikey} (the fail2ban format's {@code method=}).
     */
    default String method() {
        return switch (this) {
            case PublicKey key -> "publickey";
            case Certificate certificate -> "publickey-cert";
            case Token token -> "token";
            case ApiKey apiKey -> "apikey";
        };
    }

    /**
     * An SSH public key.
     *
     * @param keyType     the SSH key type, e.g. {@code ssh-ed25519}
     * @param blob        the SSH wire encoding of the public key
     * @param fingerprint {@code SHA256:} + unpadded base64 of the SHA-256 of {@code blob}
     */
    record PublicKey(PeerInfo peer, String user, String keyType, byte[] blob, String fingerprint) implements Credential {
        public PublicKey {
            Objects.requireNonNull(peer, "peer");
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(keyType, "keyType");
            Objects.requireNonNull(fingerprint, "fingerprint");
            blob = blob.clone();
        }

        @Override
        public byte[] blob() {
            return blob.clone();
        }

        @Override
        public String label() {
            return fingerprint;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof PublicKey that && keyType.equals(that.keyType) && Arrays.equals(blob, that.blob)
                    && user.equals(that.user) && peer.equals(that.peer);
        }

        @Override
        public int hashCode() {
            return Objects.hash(keyType, Arrays.hashCode(blob), user);
        }

        @Override
        public String toString() {
            return "PublicKey[" + keyType + " " + fingerprint + " user=" + user + "]";
        }
    }

    /**
     * An OpenSSH certificate.
     *
     * @param certificateBlob the SSH wire encoding of the whole certificate (as signed by the CA)
     * @param fingerprint     fingerprint of the certified public key
     */
    record Certificate(PeerInfo peer, String user, String keyType, byte[] certificateBlob, String fingerprint)
            implements Credential {
        public Certificate {
            Objects.requireNonNull(peer, "peer");
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(keyType, "keyType");
            Objects.requireNonNull(fingerprint, "fingerprint");
            certificateBlob = certificateBlob.clone();
        }

        @Override
        public byte[] certificateBlob() {
            return certificateBlob.clone();
        }

        @Override
        public String label() {
            return fingerprint;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Certificate that && Arrays.equals(certificateBlob, that.certificateBlob)
                    && user.equals(that.user) && peer.equals(that.peer);
        }

        @Override
        public int hashCode() {
            return Objects.hash(Arrays.hashCode(certificateBlob), user);
        }

        @Override
        public String toString() {
            return "Certificate[" + keyType + " " + fingerprint + " user=" + user + "]";
        }
    }

    /** A signed token (not an API key). {@link #toString()} never shows it. */
    record Token(PeerInfo peer, String user, String token) implements Credential {
        public Token {
            Objects.requireNonNull(peer, "peer");
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(token, "token");
        }

        @Override
        public String label() {
            return "token";
        }

        @Override
        public String toString() {
            return "Token[***]";
        }
    }

    /** An API key. {@link #toString()} and {@link #label()} never show the secret part. */
    record ApiKey(PeerInfo peer, String user, String key) implements Credential {
        public ApiKey {
            Objects.requireNonNull(peer, "peer");
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(key, "key");
        }

        @Override
        public String label() {
            // alknet keys start with a 12-character public prefix (alk_ + 8); the rest is the secret
            return key.length() > 16 ? key.substring(0, 12) + "…" : "api-key";
        }

        @Override
        public String toString() {
            return "ApiKey[" + label() + "]";
        }
    }
}
