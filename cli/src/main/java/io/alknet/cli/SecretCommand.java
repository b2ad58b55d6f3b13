package io.alknet.cli;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.alknet.call.Json;
import io.alknet.kernel.Alknet;
import io.alknet.api.call.CallOptions;
import io.alknet.secret.DerivationPath;
import io.alknet.secret.DerivedKey;
import io.alknet.secret.KeyPaths;
import io.alknet.secret.Mnemonic;
import io.alknet.secret.SecretException;
import io.alknet.secret.SecretService;
import io.alknet.secret.SeedFile;
import io.alknet.interfaces.ssh.OpenSshKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code alknet secret init|unlock|lock|status|derive|encrypt|decrypt}. */
@Command(name = "secret",
        mixinStandardHelpOptions = true,
        description = {"The secret service: one BIP39 seed from which every key is derived (docs/secret.md). 'init' creates the seed",
                "here; the other commands talk to a server's secret service over the call protocol, which starts locked.", ""},
        subcommands = {SecretCommand.Init.class, SecretCommand.Unlock.class, SecretCommand.Lock.class, SecretCommand.Status.class,
                SecretCommand.Derive.class, SecretCommand.Encrypt.class, SecretCommand.Decrypt.class},
        footer = {"", "Examples:",
                "  alknet secret init --state-dir /var/lib/alknet          # prints 24 words once; asks for a passphrase",
                "  alknet secret unlock --server tcp://host:2222 -i admin_key --host-key-fingerprint SHA256:...",
                "  alknet secret derive \"m/74'/0'/0'/0'\" --server tcp://host:2222 -i admin_key --host-key-fingerprint SHA256:...",
                "  echo -n 'api token' | alknet secret encrypt --server ... > token.json",
                "",
                "Scopes: secrets:derive (public keys), secrets:export (private keys), secrets:password, secrets:encrypt,",
                "secrets:decrypt, secrets:admin (unlock, lock, status). Exit codes: 0 ok, 1 failed, 2 usage."})
final class SecretCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    /** Where a passphrase comes from, when not from the terminal. */
    static final class PassphraseSource {
        @Option(names = "--passphrase-file", paramLabel = "FILE",
                description = "Read the seed file's passphrase from FILE (one trailing line break is dropped) instead of the terminal, "
                        + "e.g. --passphrase-file /run/secrets/alknet.")
        Path file;

        @Option(names = "--passphrase-fd", paramLabel = "N",
                description = "Read the passphrase from file descriptor N up to a line break, e.g. --passphrase-fd 3 3<passphrase.txt.")
        Integer fd;

        char[] read(boolean confirm) {
            return SecretInput.read("passphrase", file, fd, confirm, "give --passphrase-file FILE or --passphrase-fd N");
        }
    }

    @Command(name = "init", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Create the seed: generate a BIP39 mnemonic (or restore one with --restore), print it once to write down,",
                    "and store only the seed, encrypted with a passphrase (Argon2id + AES-256-GCM), in STATE_DIR/secret/seed.",
                    "The mnemonic itself is never stored; with it and nothing else the seed can be restored anywhere.", ""})
    static final class Init implements Callable<Integer> {
        @Option(names = "--words", paramLabel = "N", defaultValue = "24",
                description = "How many words a new mnemonic has: 12 or 24 (default: ${DEFAULT-VALUE}).")
        int words;

        @Option(names = "--restore", description = "Do not generate: read an existing mnemonic (from the terminal, or --mnemonic-file).")
        boolean restore;

        @Option(names = "--mnemonic-file", paramLabel = "FILE", description = "With --restore: read the mnemonic from FILE.")
        Path mnemonicFile;

        @Option(names = "--state-dir", paramLabel = "DIR",
                description = "The state directory whose seed this is (default: ~/.alknet, or $ALKNET_STATE_DIR).")
        Path stateDirectory;

        @Mixin
        PassphraseSource passphrase;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            if (words != 12 && words != 24) {
                throw new AlknetException(ErrorCode.INVALID_ARGUMENT, "--words is 12 or 24, got " + words);
            }
            if (mnemonicFile != null && !restore) {
                throw new AlknetException(ErrorCode.INVALID_ARGUMENT, "--mnemonic-file goes with --restore");
            }
            Path file = SeedFile.in(stateDirectory != null ? stateDirectory : Alknet.defaultStateDirectory());
            try {
                SeedFile.requireAbsent(file);
            } catch (SecretException e) {
                throw SecretInput.failure(e);
            }
            SecureRandom random = new SecureRandom();
            Mnemonic mnemonic;
            if (restore) {
                char[] text = SecretInput.read("mnemonic", mnemonicFile, null, false, "give --mnemonic-file FILE");
                try {
                    mnemonic = Mnemonic.parse(text);
                } catch (SecretException e) {
                    throw SecretInput.failure(e);
                } finally {
                    SecretInput.wipe(text);
                }
            } else {
                mnemonic = Mnemonic.generate(words, random);
            }
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            char[] secret = null;
            byte[] seed = null;
            try {
                secret = passphrase.read(true);
                seed = mnemonic.seed(new char[0]);
                SeedFile.create(file, seed, secret, SeedFile.KdfParameters.DEFAULT, random);
                if (!restore) {
                    char[] sentence = mnemonic.toChars();
                    SecretInput.print(out, sentence);
                    SecretInput.wipe(sentence);
                    err.println("alknet: these " + words + " words are the seed; write them down now, they are never shown again "
                            + "and never stored (only the encrypted seed is, in " + file + ")");
                } else {
                    err.println("alknet: restored the seed of a " + mnemonic.size() + "-word mnemonic into " + file);
                }
                try (SecretService service = unlocked(file, seed)) {
                    err.println("alknet: identity " + KeyPaths.IDENTITY + ": " + fingerprint(service, KeyPaths.IDENTITY));
                    err.println("alknet: ssh host key " + KeyPaths.SSH_HOST_KEY + ": " + fingerprint(service, KeyPaths.SSH_HOST_KEY));
                }
                err.flush();
                return ExitCodes.OK;
            } catch (SecretException e) {
                throw SecretInput.failure(e);
            } finally {
                mnemonic.close();
                SecretInput.wipe(secret);
                if (seed != null) {
                    java.util.Arrays.fill(seed, (byte) 0);
                }
            }
        }

        private static SecretService unlocked(Path file, byte[] seed) {
            SecretService service = new SecretService(file, Clock.systemUTC(), java.time.Duration.ZERO, new SecureRandom());
            service.unlockWithSeed(seed);
            return service;
        }

        private static String fingerprint(SecretService service, DerivationPath path) {
            try (DerivedKey key = service.deriveEd25519(path)) {
                byte[] privateKey = key.privateKey();
                try {
                    return OpenSshKeys.fingerprint(OpenSshKeys.ed25519(privateKey).getPublic());
                } finally {
                    java.util.Arrays.fill(privateKey, (byte) 0);
                }
            }
        }
    }

    /** Derives the Ed25519 key pair at {@code path} from the seed file of {@code stateDirectory}, asking for its passphrase. */
    static KeyPair keyPairFromSeed(Path stateDirectory, DerivationPath path, char[] passphrase) throws IOException {
        try (SecretService service = new SecretService(SeedFile.in(stateDirectory), Clock.systemUTC(), java.time.Duration.ZERO,
                new SecureRandom())) {
            service.unlock(passphrase);
            try (DerivedKey key = service.deriveEd25519(KeyPaths.requireSigningKeyPath(path))) {
                byte[] privateKey = key.privateKey();
                try {
                    return OpenSshKeys.ed25519(privateKey);
                } finally {
                    java.util.Arrays.fill(privateKey, (byte) 0);
                }
            }
        } catch (SecretException e) {
            throw SecretInput.failure(e);
        }
    }

    /** The shared part of the commands that call a server's secret service. */
    abstract static class Remote implements Callable<Integer> {
        @Mixin
        CallInterface iface;

        @Mixin
        ServerLogin login;

        @Mixin
        CommonOptions common;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        abstract String operation();

        abstract Object input() throws IOException;

        /** Prints the result; the default prints it as JSON. */
        void print(Object result, PrintWriter out) {
            out.println(Json.pretty(result));
        }

        @Override
        public Integer call() throws Exception {
            return CallClients.callAndPrint(login, common, iface.name, operation(), input(), CallOptions.DEFAULT,
                    spec.commandLine().getOut(), spec.commandLine().getErr(), this::print);
        }
    }

    @Command(name = "unlock", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Unlock a server's secret service with its seed file's passphrase (read from the terminal without echo,",
                    "or --passphrase-file / --passphrase-fd), or with --mnemonic. Needs the scope secrets:admin.", ""})
    static final class Unlock extends Remote {
        @Option(names = "--mnemonic", description = "Unlock with the mnemonic instead (nothing is written on the server); it is read like "
                + "the passphrase, e.g. --mnemonic --passphrase-file words.txt.")
        boolean mnemonic;

        @Mixin
        PassphraseSource source;

        @Override
        String operation() {
            return "/secret/unlock";
        }

        @Override
        Object input() {
            char[] secret = mnemonic
                    ? SecretInput.read("mnemonic", source.file, source.fd, false, "give --passphrase-file FILE or --passphrase-fd N")
                    : source.read(false);
            try {
                // the call protocol carries JSON strings: this String is the one copy that cannot be wiped (docs/secret.md)
                return Map.of(mnemonic ? "mnemonic" : "passphrase", new String(secret));
            } finally {
                SecretInput.wipe(secret);
            }
        }

        @Override
        void print(Object result, PrintWriter out) {
            out.println("alknet: the secret service is " + ((Map<?, ?>) result).get("state"));
        }
    }

    @Command(name = "lock", mixinStandardHelpOptions = true,
            description = {"Lock a server's secret service: it wipes the seed and every cached key. Needs secrets:admin.", ""})
    static final class Lock extends Remote {
        @Override
        String operation() {
            return "/secret/lock";
        }

        @Override
        Object input() {
            return Map.of();
        }

        @Override
        void print(Object result, PrintWriter out) {
            out.println("alknet: the secret service is " + ((Map<?, ?>) result).get("state"));
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = {"Show whether a server's secret service is locked and has a seed file. Needs secrets:admin.", ""})
    static final class Status extends Remote {
        @Override
        String operation() {
            return "/secret/status";
        }

        @Override
        Object input() {
            return Map.of();
        }
    }

    @Command(name = "derive", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Derive the key at PATH on a server and print it as JSON: an Ed25519 public key (default tree), the id of an",
                    "encryption key (m/74'/2'/0'/N'), or an Ethereum key and address (m/44'/60'/…). Needs secrets:derive.", ""})
    static final class Derive extends Remote {
        @Parameters(index = "0", paramLabel = "PATH", description = "The derivation path, e.g. \"m/74'/0'/0'/0'\" (quote the ' for the shell).")
        String path;

        @Option(names = "--export", description = "Also return the private key (the caller needs the scope secrets:export).")
        boolean export;

        private DerivationPath parsed() {
            try {
                return DerivationPath.parse(path);
            } catch (SecretException e) {
                throw SecretInput.failure(e);
            }
        }

        @Override
        String operation() {
            DerivationPath parsed = parsed();
            if (parsed.startsWith(KeyPaths.ENCRYPTION)) {
                return "/secret/derive/encryption-key";
            }
            return parsed.startsWith(KeyPaths.ETHEREUM_BRANCH) ? "/secret/derive/ethereum" : "/secret/derive/ed25519";
        }

        @Override
        Object input() {
            Map<String, Object> input = new LinkedHashMap<>();
            input.put("path", parsed().toString());
            if (export) {
                input.put("export", true);
            }
            return input;
        }
    }

    @Command(name = "encrypt", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Encrypt text (UTF-8, from stdin or --input-file) on a server and print the EncryptedData JSON",
                    "{key_version, salt, iv, data}. Needs secrets:encrypt.", ""})
    static final class Encrypt extends Remote {
        @Option(names = "--input-file", paramLabel = "FILE", defaultValue = "-",
                description = "Read the plaintext from FILE ('-', the default, for stdin), e.g. --input-file token.txt.")
        String inputFile;

        @Option(names = "--key-version", paramLabel = "N", defaultValue = "0",
                description = "The key version to encrypt under (default: ${DEFAULT-VALUE}), e.g. --key-version 1 after a rotation.")
        int keyVersion;

        @Override
        String operation() {
            return "/secret/encrypt";
        }

        @Override
        Object input() throws IOException {
            return Map.of("plaintext", new String(readInput(inputFile), StandardCharsets.UTF_8), "key_version", keyVersion);
        }
    }

    @Command(name = "decrypt", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Decrypt EncryptedData JSON (from stdin or --input-file) on a server and print the plaintext.",
                    "Needs secrets:decrypt.", ""})
    static final class Decrypt extends Remote {
        @Option(names = "--input-file", paramLabel = "FILE", defaultValue = "-",
                description = "Read the EncryptedData JSON from FILE ('-', the default, for stdin), e.g. --input-file token.json.")
        String inputFile;

        @Override
        String operation() {
            return "/secret/decrypt";
        }

        @Override
        Object input() throws IOException {
            try {
                return Json.read(readInput(inputFile));
            } catch (IllegalArgumentException e) {
                throw new AlknetException(ErrorCode.INVALID_ARGUMENT, "the input is not JSON: " + e.getMessage());
            }
        }

        @Override
        void print(Object result, PrintWriter out) {
            Map<?, ?> map = (Map<?, ?>) result;
            out.print(map.containsKey("plaintext") ? map.get("plaintext") : map.get("plaintext_base64"));
            out.flush();
        }
    }

    private static byte[] readInput(String inputFile) throws IOException {
        return inputFile.equals("-") ? System.in.readAllBytes() : Files.readAllBytes(Path.of(inputFile));
    }
}
