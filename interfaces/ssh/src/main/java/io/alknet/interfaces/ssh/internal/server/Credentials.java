package io.alknet.interfaces.ssh.internal.server;

import io.alknet.api.identity.Credential;
import io.alknet.api.stream.PeerInfo;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.OpenSshCertificate;
import org.apache.sshd.common.digest.BuiltinDigests;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;

import java.security.PublicKey;

/** Turns MINA's public keys into alknet credentials. */
final class Credentials {

    private Credentials() {
    }

    static Credential of(PublicKey key, String user, PeerInfo peer) {
        if (key instanceof OpenSshCertificate certificate) {
            ByteArrayBuffer buffer = new ByteArrayBuffer();
            buffer.putRawPublicKey(certificate);
            return new Credential.Certificate(peer, user, certificate.getKeyType(), buffer.getCompactData(),
                    KeyUtils.getFingerPrint(BuiltinDigests.sha256, certificate.getCertPubKey()));
        }
        ByteArrayBuffer buffer = new ByteArrayBuffer();
        buffer.putRawPublicKey(key);
        return new Credential.PublicKey(peer, user, KeyUtils.getKeyType(key), buffer.getCompactData(),
                KeyUtils.getFingerPrint(BuiltinDigests.sha256, key));
    }
}
