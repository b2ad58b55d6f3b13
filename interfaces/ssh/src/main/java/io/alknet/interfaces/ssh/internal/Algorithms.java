package io.alknet.interfaces.ssh.internal;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.interfaces.ssh.internal.cipher.ChaCha20Poly1305Cipher;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.apache.sshd.common.cipher.Cipher;
import org.apache.sshd.common.compression.BuiltinCompressions;
import org.apache.sshd.common.compression.Compression;
import org.apache.sshd.common.kex.BuiltinDHFactories;
import org.apache.sshd.common.kex.DHFactory;
import org.apache.sshd.common.mac.BuiltinMacs;
import org.apache.sshd.common.mac.Mac;
import org.apache.sshd.common.signature.BuiltinSignatures;
import org.apache.sshd.common.signature.Signature;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The algorithms alknet negotiates: modern ones only. AES-GCM comes first because it is the fastest on CPUs
 * with AES-NI. {@code chacha20-poly1305@openssh.com} is alknet's {@link ChaCha20Poly1305Cipher} on the JDK's
 * ChaCha20, not MINA's pure-Java one. Strict key exchange (the Terrapin countermeasure) is built into MINA and
 * always on.
 */
public final class Algorithms {

    /** Default cipher preference. */
    public static final List<String> DEFAULT_CIPHERS = List.of(
            "aes128-gcm@openssh.com", "aes256-gcm@openssh.com", "chacha20-poly1305@openssh.com",
            "aes128-ctr", "aes256-ctr");

    private static final Set<BuiltinCiphers> ALLOWED_CIPHERS = Set.of(
            BuiltinCiphers.aes128gcm, BuiltinCiphers.aes256gcm, BuiltinCiphers.cc20p1305_openssh,
            BuiltinCiphers.aes128ctr, BuiltinCiphers.aes192ctr, BuiltinCiphers.aes256ctr);

    private Algorithms() {
    }

    /** Key exchanges, post-quantum hybrids first, filtered to what this JVM supports. */
    public static List<DHFactory> keyExchanges() {
        return List.of(
                        BuiltinDHFactories.mlkem768x25519, BuiltinDHFactories.sntrup761x25519_openssh,
                        BuiltinDHFactories.sntrup761x25519, BuiltinDHFactories.curve25519,
                        BuiltinDHFactories.curve25519_libssh, BuiltinDHFactories.ecdhp256,
                        BuiltinDHFactories.ecdhp384, BuiltinDHFactories.ecdhp521)
                .stream().filter(BuiltinDHFactories::isSupported).map(f -> (DHFactory) f).toList();
    }

    /**
     * Resolves a cipher preference list ({@code --cipher}).
     *
     * @throws AlknetException {@code INVALID_ARGUMENT} for an unknown or outdated cipher
     */
    public static List<NamedFactory<Cipher>> ciphers(List<String> names) {
        List<String> wanted = names.isEmpty() ? DEFAULT_CIPHERS : names;
        List<NamedFactory<Cipher>> result = new ArrayList<>();
        for (String name : wanted) {
            BuiltinCiphers cipher = BuiltinCiphers.fromFactoryName(expand(name));
            if (cipher == null || !ALLOWED_CIPHERS.contains(cipher)) {
                throw new AlknetException(ErrorCode.INVALID_ARGUMENT, "unsupported cipher '" + name + "'; choose from: "
                        + ALLOWED_CIPHERS.stream().map(BuiltinCiphers::getName).sorted().collect(Collectors.joining(", ")));
            }
            if (cipher == BuiltinCiphers.cc20p1305_openssh) {
                result.add(ChaCha20Poly1305Cipher.FACTORY);
            } else if (cipher.isSupported()) {
                result.add(cipher);
            }
        }
        if (result.isEmpty()) {
            throw new AlknetException(ErrorCode.INVALID_ARGUMENT, "none of the ciphers " + wanted + " is available in this JVM");
        }
        return result;
    }

    /** Accepts the short names {@code aes128-gcm}, {@code aes256-gcm}, {@code chacha20-poly1305} too. */
    private static String expand(String name) {
        String trimmed = name.trim();
        return switch (trimmed) {
            case "aes128-gcm", "aes256-gcm", "chacha20-poly1305" -> trimmed + "@openssh.com";
            default -> trimmed;
        };
    }

    /** Encrypt-then-MAC only; used with the CTR ciphers (AEAD ciphers need no MAC). */
    public static List<NamedFactory<Mac>> macs() {
        return List.of(BuiltinMacs.hmacsha256etm, BuiltinMacs.hmacsha512etm);
    }

    /**
     * Signature algorithms. Ed25519 first; RSA-SHA2 and ECDSA are listed so that a client offering such a
     * key reaches the identity chain and is refused there with a clear log line instead of a silent
     * protocol failure. Host keys are Ed25519, so only that is advertised for the host.
     */
    public static List<NamedFactory<Signature>> signatures() {
        return List.of(BuiltinSignatures.ed25519, BuiltinSignatures.ed25519_cert,
                        BuiltinSignatures.nistp256, BuiltinSignatures.nistp384, BuiltinSignatures.nistp521,
                        BuiltinSignatures.rsaSHA512, BuiltinSignatures.rsaSHA256)
                .stream().filter(BuiltinSignatures::isSupported).map(s -> (NamedFactory<Signature>) s).toList();
    }

    public static List<NamedFactory<Compression>> compressions() {
        return List.of(BuiltinCompressions.none);
    }
}
