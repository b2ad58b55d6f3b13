package io.alknet.interfaces.ssh;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.loader.openssh.OpenSSHKeyPairResourceParser;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.digest.BuiltinDigests;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.util.security.SecurityUtils;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.Collection;
import java.util.List;

/**
 * Reads and writes keys in OpenSSH formats only (private keys with the {@code OPENSSH PRIVATE KEY}
 * armor, public keys as {@code authorized_keys} lines). Every failure is an {@link AlknetException}
 * with {@link ErrorCode#INVALID_KEY} whose message names the file and what to do.
 */
public final class OpenSshKeys {

    private static final String OPENSSH_ARMOR = "-----BEGIN OPENSSH PRIVATE KEY-----";

    private OpenSshKeys() {
    }

    /**
     * Loads an unencrypted OpenSSH private key.
     *
     * @throws AlknetException {@code INVALID_KEY} for a missing, truncated, PEM, public or encrypted key
     */
    public static KeyPair load(Path file) {
        String text = read(file);
        if (!text.contains(OPENSSH_ARMOR)) {
            throw new AlknetException(ErrorCode.INVALID_KEY, describeWrongFormat(file, text));
        }
        List<String> lines = text.lines().toList();
        Collection<KeyPair> pairs;
        try {
            pairs = OpenSSHKeyPairResourceParser.INSTANCE.loadKeyPairs(null, NamedResource.ofName(file.toString()),
                    FilePasswordProvider.EMPTY, lines);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            if (detail.toLowerCase(java.util.Locale.ROOT).contains("password") || detail.contains("encrypted")) {
                throw new AlknetException(ErrorCode.INVALID_KEY, "key file " + file
                        + " is protected by a passphrase; alknet needs an unencrypted key (remove it with: ssh-keygen -p -N '' -f "
                        + file + ")");
            }
            throw new AlknetException(ErrorCode.INVALID_KEY, "key file " + file + " is truncated or corrupt ("
                    + detail + "); create a new one with: alknet keygen -f " + file);
        }
        if (pairs == null || pairs.isEmpty()) {
            throw new AlknetException(ErrorCode.INVALID_KEY, "key file " + file + " holds no key; create one with: alknet keygen -f " + file);
        }
        return pairs.iterator().next();
    }

    private static String read(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (NoSuchFileException e) {
            throw new AlknetException(ErrorCode.INVALID_KEY, "key file not found: " + file
                    + " (create one with: alknet keygen -f " + file + ")");
        } catch (CharacterCodingException e) {
            throw new AlknetException(ErrorCode.INVALID_KEY, "key file " + file + " is not a text key file; "
                    + "alknet reads OpenSSH private keys (BEGIN OPENSSH PRIVATE KEY)");
        } catch (IOException e) {
            throw new AlknetException(ErrorCode.INVALID_KEY, "cannot read key file " + file + ": " + e.getMessage());
        }
    }

    private static String describeWrongFormat(Path file, String text) {
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            return "key file " + file + " is empty; create a key with: alknet keygen -f " + file;
        }
        if (trimmed.startsWith("-----BEGIN") && trimmed.contains("PRIVATE KEY")) {
            return "key file " + file + " is a PEM private key; alknet reads OpenSSH format only. Convert it with: "
                    + "ssh-keygen -p -f " + file + " (or create a new key with: alknet keygen -f FILE)";
        }
        if (trimmed.startsWith("ssh-") || trimmed.startsWith("ecdsa-")) {
            return "key file " + file + " is a public key; pass the private key file (without .pub)";
        }
        return "key file " + file + " has an unrecognized private key format; alknet reads OpenSSH private keys "
                + "(BEGIN OPENSSH PRIVATE KEY). Create one with: alknet keygen -f " + file;
    }

    /**
     * The identities to offer for a private key file, OpenSSH's way: its certificate first when
     * {@code FILE-cert.pub} lies next to it (a user certificate made with {@code ssh-keygen -s}), then the
     * plain key.
     *
     * @throws AlknetException {@code INVALID_KEY} when the key or its certificate cannot be read
     */
    public static List<KeyPair> loadWithCertificate(Path file) {
        KeyPair key = load(file);
        Path certificateFile = file.resolveSibling(file.getFileName() + "-cert.pub");
        if (!Files.isRegularFile(certificateFile)) {
            return List.of(key);
        }
        try {
            String line = Files.readString(certificateFile, StandardCharsets.UTF_8).strip();
            PublicKey certificate = PublicKeyEntry.parsePublicKeyEntry(line).resolvePublicKey(null, null, null);
            if (!(certificate instanceof org.apache.sshd.common.config.keys.OpenSshCertificate cert)
                    || !KeyUtils.compareKeys(cert.getCertPubKey(), key.getPublic())) {
                throw new AlknetException(ErrorCode.INVALID_KEY, certificateFile + " is not a certificate for " + file);
            }
            return List.of(new KeyPair(certificate, key.getPrivate()), key);
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new AlknetException(ErrorCode.INVALID_KEY, "cannot read the certificate " + certificateFile + ": " + e.getMessage(), e);
        }
    }

    /**
     * Generates an Ed25519 pair and writes {@code file} (mode 0600) and {@code file.pub}.
     *
     * @throws AlknetException {@code INVALID_ARGUMENT} if either file exists
     */
    public static KeyPair generate(Path file, String comment) {
        KeyPair pair;
        try {
            pair = KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
        } catch (GeneralSecurityException e) {
            throw new AlknetException(ErrorCode.INTERNAL, "cannot generate an Ed25519 key: " + e.getMessage(), e);
        }
        write(file, pair, comment);
        return pair;
    }

    /**
     * The Ed25519 pair of a 32-byte RFC 8032 private key (what SLIP-0010 derives); the caller still owns and wipes
     * {@code privateKey}.
     *
     * @throws AlknetException {@code INVALID_KEY} for another length
     */
    public static KeyPair ed25519(byte[] privateKey) {
        if (privateKey.length != 32) {
            throw new AlknetException(ErrorCode.INVALID_KEY, "an Ed25519 private key is 32 bytes; got " + privateKey.length);
        }
        try {
            java.security.PrivateKey key = SecurityUtils.generateEDDSAPrivateKey(KeyPairProvider.SSH_ED25519, privateKey);
            return new KeyPair(SecurityUtils.recoverEDDSAPublicKey(key), key);
        } catch (GeneralSecurityException | IOException e) {
            throw new AlknetException(ErrorCode.INTERNAL, "cannot build an Ed25519 key: " + e.getMessage(), e);
        }
    }

    /** {@code pair} as an unencrypted OpenSSH private key file ({@code BEGIN OPENSSH PRIVATE KEY}). */
    public static byte[] privateKeyFile(KeyPair pair, String comment) {
        try {
            ByteArrayOutputStream privateBytes = new ByteArrayOutputStream();
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(pair, comment, null, privateBytes);
            return privateBytes.toByteArray();
        } catch (IOException | GeneralSecurityException e) {
            throw new AlknetException(ErrorCode.INTERNAL, "cannot encode the key: " + e.getMessage(), e);
        }
    }

    /**
     * Writes {@code pair} to {@code file} (mode 0600) and its public key to {@code file.pub}.
     *
     * @throws AlknetException {@code INVALID_ARGUMENT} if either file exists
     */
    public static void write(Path file, KeyPair pair, String comment) {
        Path publicFile = file.resolveSibling(file.getFileName() + ".pub");
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            writeNew(file, privateKeyFile(pair, comment), true);
            writeNew(publicFile, (publicKeyLine(pair.getPublic(), comment) + "\n").getBytes(StandardCharsets.UTF_8), false);
        } catch (FileAlreadyExistsException e) {
            throw new AlknetException(ErrorCode.INVALID_ARGUMENT, e.getFile() + " already exists; refusing to overwrite it");
        } catch (IOException e) {
            throw new AlknetException(ErrorCode.INVALID_ARGUMENT, "cannot write key file " + file + ": " + e.getMessage(), e);
        }
    }

    private static void writeNew(Path file, byte[] bytes, boolean secret) throws IOException {
        if (secret && file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(file, bytes, StandardOpenOption.TRUNCATE_EXISTING);
        } else {
            Files.write(file, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        }
    }

    /** The public key as an {@code authorized_keys} line, e.g. {@code ssh-ed25519 AAAA… comment}. */
    /** The SSH wire encoding of a public key (what fingerprints and tokens are computed over). */
    public static byte[] publicKeyBlob(PublicKey key) {
        org.apache.sshd.common.util.buffer.ByteArrayBuffer buffer = new org.apache.sshd.common.util.buffer.ByteArrayBuffer();
        buffer.putRawPublicKey(key);
        return buffer.getCompactData();
    }

    public static String publicKeyLine(PublicKey key, String comment) {
        String line = PublicKeyEntry.toString(key);
        return comment == null || comment.isBlank() ? line : line + " " + comment;
    }

    /** {@code SHA256:} + unpadded base64 of the SHA-256 of the key's SSH encoding, as OpenSSH prints it. */
    public static String fingerprint(PublicKey key) {
        return KeyUtils.getFingerPrint(BuiltinDigests.sha256, key);
    }
}
