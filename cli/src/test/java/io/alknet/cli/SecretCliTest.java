package io.alknet.cli;

import io.alknet.testkit.Loopback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code alknet secret}, {@code keygen --from-seed} and {@code serve --host-key-from-seed} as a user runs them (issue 22).
 * The expected keys are the SLIP-0010 ones of the path table for the mnemonic "abandon … about", computed independently
 * (docs/decisions/0007-secret-derivation-choices.md).
 */
class SecretCliTest {

    private static final String MNEMONIC = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
    /** SLIP-0010 ed25519 public keys of that seed at m/74'/0'/1'/0' (host) and m/74'/0'/0'/0' (identity). */
    private static final String HOST_PUBLIC_KEY = "6a9dd5c41915fba6cc22b8760263aba45b068cae7bead1d069c7b8eeb0118134";
    private static final String IDENTITY_PUBLIC_KEY = "e78c2766a792f09bfccb51493968ac322283e8d021a30063784d806929762ecc";

    @TempDir
    Path dir;

    /** The OpenSSH fingerprint of a raw Ed25519 public key: SHA256 of its wire encoding, unpadded base64. */
    private static String fingerprint(String publicKeyHex) throws Exception {
        ByteArrayOutputStream blob = new ByteArrayOutputStream();
        DataOutputStream data = new DataOutputStream(blob);
        data.writeInt(11);
        data.writeBytes("ssh-ed25519");
        data.writeInt(32);
        data.write(HexFormat.of().parseHex(publicKeyHex));
        return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256").digest(blob.toByteArray()));
    }

    private Path write(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content);
    }

    private static void expectError(Cli.Result result, int exitCode, String message) {
        assertThat(result.exitCode()).as("exit code; stderr: " + result.stderr()).isEqualTo(exitCode);
        assertThat(result.stderr()).doesNotContain("\tat ");
        assertThat(result.stderrLines()).filteredOn(line -> line.startsWith("error: ") || line.startsWith("alknet: ")).singleElement()
                .asString().contains(message);
    }

    @Test
    void initPrintsTheMnemonicOnceAndStoresOnlyTheEncryptedSeed() throws Exception {
        Path passphrase = write("passphrase", "correct horse battery staple\n");
        Cli.Result init = Cli.run(dir, "secret", "init", "--words", "12", "--passphrase-file", passphrase.toString());
        assertThat(init.exitCode()).as(init.stderr()).isZero();
        List<String> words = List.of(init.stdout().strip().split(" "));
        assertThat(words).hasSize(12).allMatch(word -> word.matches("[a-z]{3,8}"));
        assertThat(init.stderr()).contains("write them down now").contains("identity m/74'/0'/0'/0': SHA256:");
        Path seed = dir.resolve("state/secret/seed");
        String stored = Files.readString(seed);
        assertThat(stored).startsWith("alknet-seed v1\nkdf argon2id").doesNotContain(words.get(0) + " " + words.get(1));

        expectError(Cli.run(dir, "secret", "init", "--passphrase-file", passphrase.toString()), 1, "SEED_EXISTS");
        assertThat(Files.readString(seed)).isEqualTo(stored);
        expectError(Cli.run(dir, "secret", "init", "--state-dir", dir.resolve("other").toString()), 2,
                "no terminal to read the passphrase from; give --passphrase-file FILE or --passphrase-fd N");
        Path badWords = write("bad-words", MNEMONIC.replace("about", "abandon"));
        expectError(Cli.run(dir, "secret", "init", "--restore", "--mnemonic-file", badWords.toString(), "--passphrase-file",
                passphrase.toString(), "--state-dir", dir.resolve("other").toString()), 1, "INVALID_MNEMONIC: the mnemonic's checksum does not match");
        assertThat(dir.resolve("other/secret/seed")).doesNotExist();
    }

    @Test
    void keygenAndServeFromTheSeedGiveTheSlip10HostKeyAndTheSecretCommandsDriveTheServersService() throws Exception {
        Path passphrase = write("passphrase", "open sesame");
        Path words = write("words", MNEMONIC + "\n");
        Cli.Result restore = Cli.run(dir, "secret", "init", "--restore", "--mnemonic-file", words.toString(), "--passphrase-file", passphrase.toString());
        assertThat(restore.exitCode()).as(restore.stderr()).isZero();
        assertThat(restore.stdout()).as("a restored mnemonic is not printed").isEmpty();
        assertThat(restore.stderr()).contains("ssh host key m/74'/0'/1'/0': " + fingerprint(HOST_PUBLIC_KEY));

        Path hostKey = dir.resolve("host_from_seed");
        Cli.Result keygen = Cli.run(dir, "keygen", "-f", hostKey.toString(), "--from-seed", "--seed-path", "m/74'/0'/1'/0'",
                "--passphrase-file", passphrase.toString());
        assertThat(keygen.exitCode()).as(keygen.stderr()).isZero();
        assertThat(keygen.stdout()).contains("Fingerprint: " + fingerprint(HOST_PUBLIC_KEY));
        Process openssh = new ProcessBuilder("ssh-keygen", "-y", "-f", hostKey.toString()).redirectErrorStream(true).start();
        String derived = new String(openssh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(openssh.waitFor()).as(derived).isZero();
        assertThat(Files.readString(Path.of(hostKey + ".pub"))).startsWith(derived.strip().split(" ")[0] + " " + derived.strip().split(" ")[1]);

        Path wrong = write("wrong", "open sesame!");
        expectError(Cli.run(dir, "keygen", "-f", dir.resolve("k2").toString(), "--from-seed", "--passphrase-file", wrong.toString()), 1,
                "WRONG_PASSPHRASE");
        expectError(Cli.run(dir, "keygen", "-f", dir.resolve("k3").toString(), "--from-seed", "--seed-path", "m/74'/0'/0'/0",
                "--passphrase-file", passphrase.toString()), 2, "INVALID_PATH");
        expectError(Cli.run(dir, "keygen", "-f", dir.resolve("k4").toString(), "--from-seed", "--seed-path", "m/74/x",
                "--passphrase-file", passphrase.toString()), 2, "--seed-path: derivation path 'm/74/x' is malformed");
        assertThat(dir.resolve("k2")).doesNotExist();

        Path credential = write("billing.cred", "type=bearer\ntoken=sk_live_billing\n");
        Cli.Result added = Cli.run(dir, "credentials", "add", "billing-api", "--from-file", credential.toString(), "--passphrase-file",
                passphrase.toString());
        assertThat(added.exitCode()).as(added.stderr()).isZero();
        assertThat(Files.readString(dir.resolve("state/secret/credentials"))).startsWith("alknet-credentials v1\nbilling-api bearer 0 ")
                .doesNotContain("sk_live_billing");
        assertThat(Cli.run(dir, "credentials", "list").stdout()).containsPattern("billing-api +bearer +0");
        expectError(Cli.run(dir, "credentials", "add", "x", "--from-file", write("bad.cred", "type=bearer\n").toString(),
                "--passphrase-file", passphrase.toString()), 2, "needs the field 'token'");
        assertThat(Cli.run(dir, "credentials", "remove", "billing-api").exitCode()).isZero();
        expectError(Cli.run(dir, "credentials", "remove", "billing-api"), 1, "no credential for billing-api");

        Path clientKey = dir.resolve("client");
        assertThat(Cli.run(dir, "keygen", "-f", clientKey.toString(), "-C", "admin").exitCode()).isZero();
        Files.writeString(dir.resolve("authorized_keys"), "scopes=\"secrets:admin,secrets:derive,secrets:encrypt,secrets:decrypt\" "
                + Files.readString(Path.of(clientKey + ".pub")));
        int port = Loopback.unusedPort();
        try (Cli.Running server = Cli.start(dir, "serve", "--listen", "tcp://127.0.0.1:" + port, "--host-key-from-seed=" + passphrase,
                "--authorized-keys", dir.resolve("authorized_keys").toString())) {
            String banner = server.await("host key fingerprint", Duration.ofSeconds(60));
            assertThat(banner).contains("ssh host key fingerprint: " + fingerprint(HOST_PUBLIC_KEY));
            try (Stream<Path> files = Files.list(dir.resolve("state"))) {
                assertThat(files.map(file -> file.getFileName().toString())).as("no derived key left on disk")
                        .noneMatch(name -> name.contains("host-key")).doesNotContain("ssh_host_ed25519_key");
            }
            String[] login = {"--server", "tcp://127.0.0.1:" + port, "-i", clientKey.toString(), "--host-key-fingerprint",
                    fingerprint(HOST_PUBLIC_KEY)};

            Cli.Result status = Cli.run(dir, concat(login, "secret", "status"));
            assertThat(status.exitCode()).as(status.stderr()).isZero();
            assertThat(status.stdout()).contains("\"state\" : \"locked\"").contains("\"seed_file\" : true");
            expectError(Cli.run(dir, concat(login, "secret", "derive", "m/74'/0'/0'/0'")), 1, "LOCKED");
            expectError(Cli.run(dir, concat(login, "secret", "unlock", "--passphrase-file", wrong.toString())), 1, "WRONG_PASSPHRASE");
            expectError(Cli.run(dir, concat(login, "secret", "unlock")), 2, "no terminal to read the passphrase from");

            Cli.Result unlock = Cli.run(dir, concat(login, "secret", "unlock", "--passphrase-file", passphrase.toString()));
            assertThat(unlock.exitCode()).as(unlock.stderr()).isZero();
            assertThat(unlock.stdout()).contains("the secret service is unlocked");
            Cli.Result identity = Cli.run(dir, concat(login, "secret", "derive", "m/74'/0'/0'/0'"));
            assertThat(identity.exitCode()).as(identity.stderr()).isZero();
            assertThat(identity.stdout()).contains("\"public_key\" : \""
                    + Base64.getEncoder().encodeToString(HexFormat.of().parseHex(IDENTITY_PUBLIC_KEY)) + "\"").doesNotContain("private_key");
            expectError(Cli.run(dir, concat(login, "secret", "derive", "m/74'/0'/0'/0'", "--export")), 1, "ACCESS_DENIED");
            expectError(Cli.run(dir, concat(login, "secret", "derive", "m/74'/0'/0'/0")), 1, "INVALID_PATH");
            expectError(Cli.run(dir, concat(login, "secret", "derive", "74")), 2, "INVALID_PATH");
            Cli.Result ethereum = Cli.run(dir, concat(login, "secret", "derive", "m/44'/60'/0'/0/0"));
            assertThat(ethereum.stdout()).contains("0x9858EfFD232B4033E47d90003D41EC34EcaEda94");

            Path plaintext = write("plaintext", "the billing API token");
            Cli.Result encrypted = Cli.run(dir, concat(login, "secret", "encrypt", "--input-file", plaintext.toString()));
            assertThat(encrypted.exitCode()).as(encrypted.stderr()).isZero();
            assertThat(encrypted.stdout()).contains("\"key_version\" : 0").contains("\"iv\"").doesNotContain("billing");
            Path sealed = write("sealed.json", encrypted.stdout());
            Cli.Result decrypted = Cli.run(dir, concat(login, "secret", "decrypt", "--input-file", sealed.toString()));
            assertThat(decrypted.exitCode()).as(decrypted.stderr()).isZero();
            assertThat(decrypted.stdout()).isEqualTo("the billing API token");

            Cli.Result lock = Cli.run(dir, concat(login, "secret", "lock"));
            assertThat(lock.stdout()).contains("the secret service is locked");
            expectError(Cli.run(dir, concat(login, "secret", "decrypt", "--input-file", sealed.toString())), 1, "LOCKED");
        }
    }

    @Test
    void everySecretCommandHasHelp() throws Exception {
        for (String command : new String[] {"init", "unlock", "lock", "status", "derive", "encrypt", "decrypt"}) {
            Cli.Result result = Cli.run(dir, "secret", command, "--help");
            assertThat(result.exitCode()).as(command).isZero();
            assertThat(result.stdout()).contains("Usage: alknet secret " + command);
        }
        assertThat(Cli.run(dir, "secret", "--help").stdout()).contains("secrets:export");
        for (String command : new String[] {"add", "list", "remove"}) {
            assertThat(Cli.run(dir, "credentials", command, "--help").stdout()).contains("Usage: alknet credentials " + command);
        }
        assertThat(Cli.run(dir, "keygen", "--help").stdout()).contains("--from-seed");
        assertThat(Cli.run(dir, "serve", "--help").stdout()).contains("--host-key-from-seed");
        expectError(Cli.run(dir, "secret", "init", "--words", "13"), 2, "--words is 12 or 24");
    }

    private static String[] concat(String[] login, String... command) {
        return Stream.concat(Stream.of(command), Stream.of(login)).toArray(String[]::new);
    }
}
