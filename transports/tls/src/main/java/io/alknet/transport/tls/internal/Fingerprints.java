package io.alknet.transport.tls.internal;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;

/** Certificate fingerprints as alknet prints them: {@code SHA256:} and the unpadded base64 of the DER digest. */
final class Fingerprints {

    private Fingerprints() {
    }

    static String of(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot fingerprint a certificate", e);
        }
    }

    /** Accepts {@code SHA256:base64} (ours) or hex with or without colons (openssl's {@code -fingerprint -sha256}). */
    static String normalize(String given) {
        String text = given.strip();
        String hex = text.replace(":", "").toLowerCase(Locale.ROOT);
        if (hex.startsWith("sha256=")) {
            hex = hex.substring(7);
        }
        if (hex.matches("[0-9a-f]{64}")) {
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(HexFormat.of().parseHex(hex));
        }
        String base64 = text.startsWith("SHA256:") ? text.substring(7) : text;
        if (base64.endsWith("=")) {
            base64 = base64.substring(0, base64.length() - 1);
        }
        if (!base64.matches("[A-Za-z0-9+/]{43}")) {
            throw new AlknetException(ErrorCode.INVALID_CONFIG, "--tls-fingerprint '" + given
                    + "' is not a SHA-256 certificate fingerprint (SHA256:base64 as alknet serve prints it, or 64 hex digits)");
        }
        return "SHA256:" + base64;
    }
}
