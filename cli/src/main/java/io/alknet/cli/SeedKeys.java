package io.alknet.cli;

import io.alknet.kernel.Alknet;
import io.alknet.secret.DerivationPath;
import io.alknet.secret.SecretException;

import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyPair;

/** Ed25519 keys derived from the local seed file, for {@code keygen --from-seed} and {@code serve --host-key-from-seed}. */
final class SeedKeys {

    private SeedKeys() {
    }

    /**
     * The key pair at {@code path} from the seed of {@code stateDirectory} (or the default one), asking the terminal for the
     * seed file's passphrase unless {@code passphraseFile} holds it.
     */
    static KeyPair derive(Path stateDirectory, String path, Path passphraseFile, String option) throws IOException {
        DerivationPath parsed;
        try {
            parsed = DerivationPath.parse(path);
        } catch (SecretException e) {
            throw SecretInput.failure(new SecretException(e.code(), option + ": " + e.error().message()));
        }
        char[] passphrase = SecretInput.read("passphrase", passphraseFile, null, false, "give the passphrase in a file (see --help)");
        try {
            return SecretCommand.keyPairFromSeed(stateDirectory != null ? stateDirectory : Alknet.defaultStateDirectory(), parsed, passphrase);
        } finally {
            SecretInput.wipe(passphrase);
        }
    }
}
