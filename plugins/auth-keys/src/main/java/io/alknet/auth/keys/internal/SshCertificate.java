package io.alknet.auth.keys.internal;

import io.alknet.api.identity.AuthToken;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An OpenSSH certificate of type {@code ssh-ed25519-cert-v01@openssh.com}, parsed from its wire encoding
 * as OpenSSH's PROTOCOL.certkeys defines it. Only Ed25519 keys signed by Ed25519 CAs are accepted, like
 * everywhere else in alknet. Hand-written because the plugin depends on the API only (no SSH library);
 * the format is a flat sequence of SSH strings and integers.
 *
 * @param certifiedKeyBlob SSH wire encoding of the certified key ({@code ssh-ed25519} + 32 bytes)
 * @param type             1 = user certificate, 2 = host certificate
 * @param keyId            the {@code -I} key identifier
 * @param principals       the {@code -n} principals; empty = valid for any user
 * @param validAfter       Unix seconds (unsigned)
 * @param validBefore      Unix seconds (unsigned; all ones = forever)
 * @param criticalOptions  name → value ({@code source-address}, {@code force-command}, …); flags map to ""
 * @param extensions       name → value ({@code permit-port-forwarding}, …)
 * @param caKeyBlob        SSH wire encoding of the signing CA key
 */
record SshCertificate(byte[] certifiedKeyBlob, long serial, int type, String keyId, List<String> principals,
                      long validAfter, long validBefore, Map<String, String> criticalOptions,
                      Map<String, String> extensions, byte[] caKeyBlob, byte[] signatureBlob, byte[] signedPart) {

    static final String TYPE = "ssh-ed25519-cert-v01@openssh.com";
    static final int USER = 1;

    /**
     * Parses a certificate.
     *
     * @throws IllegalArgumentException when the blob is not a well-formed Ed25519 certificate
     */
    static SshCertificate parse(byte[] blob) {
        ByteBuffer buffer = ByteBuffer.wrap(blob);
        try {
            String certType = string(buffer);
            if (!TYPE.equals(certType)) {
                throw new IllegalArgumentException("unsupported certificate type " + certType);
            }
            bytes(buffer); // nonce
            byte[] key = bytes(buffer);
            if (key.length != 32) {
                throw new IllegalArgumentException("the certified key is not an Ed25519 key");
            }
            long serial = buffer.getLong();
            int type = buffer.getInt();
            String keyId = string(buffer);
            List<String> principals = new ArrayList<>();
            ByteBuffer packed = ByteBuffer.wrap(bytes(buffer));
            while (packed.hasRemaining()) {
                principals.add(string(packed));
            }
            long validAfter = buffer.getLong();
            long validBefore = buffer.getLong();
            Map<String, String> critical = options(bytes(buffer));
            Map<String, String> extensions = options(bytes(buffer));
            bytes(buffer); // reserved
            byte[] caKey = bytes(buffer);
            int signedLength = buffer.position();
            byte[] signature = bytes(buffer);
            if (buffer.hasRemaining()) {
                throw new IllegalArgumentException("trailing bytes after the signature");
            }
            byte[] signedPart = new byte[signedLength];
            System.arraycopy(blob, 0, signedPart, 0, signedLength);
            return new SshCertificate(ed25519Blob(key), serial, type, keyId, List.copyOf(principals), validAfter, validBefore,
                    critical, extensions, caKey, signature, signedPart);
        } catch (java.nio.BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated certificate", e);
        }
    }

    /** True when the CA key made the signature over the certificate body. */
    boolean signatureValid() {
        try {
            ByteBuffer signature = ByteBuffer.wrap(signatureBlob);
            if (!"ssh-ed25519".equals(string(signature))) {
                return false;
            }
            byte[] raw = bytes(signature);
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(AuthToken.ed25519PublicKey(caKeyBlob));
            verifier.update(signedPart);
            return raw.length == 64 && !signature.hasRemaining() && verifier.verify(raw);
        } catch (GeneralSecurityException | IllegalArgumentException | java.nio.BufferUnderflowException e) {
            return false;
        }
    }

    boolean notYetValid(Instant now) {
        return Long.compareUnsigned(now.getEpochSecond(), validAfter) < 0;
    }

    boolean expired(Instant now) {
        return Long.compareUnsigned(now.getEpochSecond(), validBefore) >= 0;
    }

    private static Map<String, String> options(byte[] packed) {
        Map<String, String> options = new LinkedHashMap<>();
        ByteBuffer buffer = ByteBuffer.wrap(packed);
        while (buffer.hasRemaining()) {
            String name = string(buffer);
            byte[] data = bytes(buffer);
            // a value is itself an SSH string inside the data field; flags carry empty data
            String value = data.length == 0 ? "" : string(ByteBuffer.wrap(data));
            if (options.put(name, value) != null) {
                throw new IllegalArgumentException("option " + name + " appears twice");
            }
        }
        return Map.copyOf(options);
    }

    private static byte[] ed25519Blob(byte[] key) {
        byte[] type = "ssh-ed25519".getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(4 + type.length + 4 + key.length).putInt(type.length).put(type).putInt(key.length).put(key).array();
    }

    private static String string(ByteBuffer buffer) {
        return new String(bytes(buffer), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        int length = buffer.getInt();
        if (length < 0 || length > buffer.remaining()) {
            throw new IllegalArgumentException("bad length field");
        }
        byte[] bytes = new byte[length];
        buffer.get(bytes);
        return bytes;
    }
}
