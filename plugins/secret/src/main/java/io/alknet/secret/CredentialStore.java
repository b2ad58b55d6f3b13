package io.alknet.secret;

import io.alknet.api.identity.CredentialSet;
import io.alknet.api.plugin.StateFiles;
import io.alknet.secret.internal.Wipe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Outbound credentials at rest: {@code <state-dir>/secret/credentials}, one line per service with its type in the clear
 * (for listing) and the {@link CredentialSet} encrypted by the secret service ({@link EncryptedData}; the plaintext
 * names the service and the type again, so a line moved or relabelled is refused). Written whole, owner-only, through
 * {@link StateFiles#replace}:
 *
 * <pre>
 * alknet-credentials v1
 * SERVICE TYPE KEY_VERSION SALT IV DATA
 * </pre>
 *
 * <p>Thread-safe within one process; two processes writing at once keep the last write.
 */
public final class CredentialStore {

    static final String MAGIC = "alknet-credentials v1";
    private static final Pattern SERVICE = Pattern.compile("[A-Za-z0-9._:@/+-]{1,128}");

    /** One stored credential: its service, its type name, and the ciphertext. */
    public record Entry(String service, String type, EncryptedData data) {
        public Entry {
            Objects.requireNonNull(service, "service");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(data, "data");
        }
    }

    private final Path file;

    public CredentialStore(Path file) {
        this.file = Objects.requireNonNull(file, "file");
    }

    /** The store of a state directory. */
    public static CredentialStore in(Path stateDirectory) {
        return new CredentialStore(stateDirectory.resolve("secret").resolve("credentials"));
    }

    public Path file() {
        return file;
    }

    /**
     * @throws SecretException {@code INVALID_INPUT} for a name outside {@code [A-Za-z0-9._:@/+-]}, 1 to 128 characters
     */
    public static String requireServiceName(String service) {
        if (service == null || !SERVICE.matcher(service).matches()) {
            throw new SecretException(SecretException.INVALID_INPUT, "a service name is 1 to 128 of A-Z a-z 0-9 . _ : @ / + -, e.g. "
                    + "billing-api");
        }
        return service;
    }

    /**
     * Every stored credential, in file order; none when the file does not exist.
     *
     * @throws SecretException {@code INVALID_INPUT} naming the line that is malformed
     */
    public synchronized List<Entry> entries() throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        if (lines.isEmpty() || !lines.getFirst().equals(MAGIC)) {
            throw new SecretException(SecretException.INVALID_INPUT, "the credential store " + file + " does not start with '" + MAGIC + "'");
        }
        List<Entry> entries = new ArrayList<>();
        for (int number = 2; number <= lines.size(); number++) {
            String line = lines.get(number - 1);
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.split(" ");
            try {
                if (parts.length != 6) {
                    throw new IllegalArgumentException("6 fields");
                }
                Base64.Decoder base64 = Base64.getDecoder();
                entries.add(new Entry(requireServiceName(parts[0]), parts[1], new EncryptedData(Integer.parseInt(parts[2]),
                        base64.decode(parts[3]), base64.decode(parts[4]), base64.decode(parts[5]))));
            } catch (IllegalArgumentException | SecretException e) {
                throw new SecretException(SecretException.INVALID_INPUT, "line " + number + " of the credential store " + file
                        + " is malformed (SERVICE TYPE KEY_VERSION SALT IV DATA)");
            }
        }
        return entries;
    }

    /**
     * Encrypts {@code set} for {@code service} with {@code secrets} (which must be unlocked) under {@code keyVersion},
     * replacing what the service had.
     */
    public synchronized void put(String service, CredentialSet set, SecretService secrets, int keyVersion) throws IOException {
        requireServiceName(service);
        byte[] plaintext = CredentialCodec.encode(service, set);
        EncryptedData data;
        try {
            data = secrets.encrypt(plaintext, keyVersion);
        } finally {
            Wipe.bytes(plaintext);
        }
        List<Entry> entries = new ArrayList<>(entries());
        entries.removeIf(entry -> entry.service().equals(service));
        entries.add(new Entry(service, CredentialCodec.type(set), data));
        write(entries);
    }

    /** Removes {@code service}'s credential; false when it had none. */
    public synchronized boolean remove(String service) throws IOException {
        List<Entry> entries = new ArrayList<>(entries());
        if (!entries.removeIf(entry -> entry.service().equals(service))) {
            return false;
        }
        write(entries);
        return true;
    }

    /**
     * Decrypts {@code entry} with {@code secrets}.
     *
     * @throws SecretException {@code LOCKED}, {@code DECRYPTION_FAILED} (altered, another seed, or moved to another
     *                         service's line) or {@code INVALID_INPUT}
     */
    public static CredentialSet open(Entry entry, SecretService secrets) {
        byte[] plaintext = secrets.decrypt(entry.data());
        try {
            CredentialSet set = CredentialCodec.decode(entry.service(), plaintext);
            if (!CredentialCodec.type(set).equals(entry.type())) {
                throw new SecretException(SecretException.DECRYPTION_FAILED, "the stored credential of " + entry.service()
                        + " is labelled " + entry.type() + " but holds another type (the store was altered)");
            }
            return set;
        } finally {
            Wipe.bytes(plaintext);
        }
    }

    private void write(List<Entry> entries) throws IOException {
        StringBuilder text = new StringBuilder(MAGIC).append('\n');
        Base64.Encoder base64 = Base64.getEncoder();
        for (Entry entry : entries) {
            text.append(entry.service()).append(' ').append(entry.type()).append(' ').append(entry.data().keyVersion()).append(' ')
                    .append(base64.encodeToString(entry.data().salt())).append(' ').append(base64.encodeToString(entry.data().iv()))
                    .append(' ').append(base64.encodeToString(entry.data().data())).append('\n');
        }
        StateFiles.replace(file, text.toString().getBytes(StandardCharsets.US_ASCII), true);
    }
}
