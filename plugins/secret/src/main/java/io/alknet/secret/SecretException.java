package io.alknet.secret;

import io.alknet.api.call.CallError;
import io.alknet.api.call.OperationException;

import java.util.Optional;
import java.util.Set;

/**
 * A secret-service failure with a stable code. It is an {@link OperationException}, so an operation handler that
 * lets it through fails the call with that code; the message never contains a secret (no word of a mnemonic, no
 * key, no passphrase).
 */
public final class SecretException extends OperationException {

    /** The service is locked: unlock it first. */
    public static final String LOCKED = "LOCKED";
    /** No encrypted seed file exists yet: create one with {@code alknet secret init}. */
    public static final String NO_SEED = "NO_SEED";
    /** The seed file exists already; replacing it would change every derived key. */
    public static final String SEED_EXISTS = "SEED_EXISTS";
    /** The passphrase does not open the seed file (or the file was altered). */
    public static final String WRONG_PASSPHRASE = "WRONG_PASSPHRASE";
    /** A mnemonic with an unknown word, a wrong number of words or a checksum that does not match. */
    public static final String INVALID_MNEMONIC = "INVALID_MNEMONIC";
    /** A derivation path that does not parse or that the operation does not serve. */
    public static final String INVALID_PATH = "INVALID_PATH";
    /** Another malformed argument: a key version, a length, an {@code EncryptedData} field. */
    public static final String INVALID_INPUT = "INVALID_INPUT";
    /** The ciphertext does not authenticate: altered, or encrypted under another seed or key version. */
    public static final String DECRYPTION_FAILED = "DECRYPTION_FAILED";

    /** Every code above, for operation specs. */
    public static final Set<String> CODES = Set.of(LOCKED, NO_SEED, SEED_EXISTS, WRONG_PASSPHRASE, INVALID_MNEMONIC, INVALID_PATH,
            INVALID_INPUT, DECRYPTION_FAILED);

    public SecretException(String code, String message) {
        super(new CallError(code, message, false, Optional.empty()));
    }

    static SecretException locked() {
        return new SecretException(LOCKED, "the secret service is locked; unlock it first (alknet secret unlock, or /secret/unlock)");
    }
}
