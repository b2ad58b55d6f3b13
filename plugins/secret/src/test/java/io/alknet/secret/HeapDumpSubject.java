package io.alknet.secret;

import io.alknet.secret.internal.Wipe;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;

/**
 * The process {@link HeapDumpTest} dumps: it unlocks a secret service (with a mnemonic, or from a seed file with a
 * passphrase, read from stdin), uses every kind of key, says {@code UNLOCKED}, locks when told to and says
 * {@code LOCKED}, then waits to be told to exit. Standard input is read without a buffer, so no JDK reader keeps a
 * copy of what came in.
 */
public final class HeapDumpSubject {

    private static final InputStream IN = new FileInputStream(FileDescriptor.in);

    private HeapDumpSubject() {
    }

    /** args: {@code mnemonic} or {@code seed-file <state directory>}. */
    public static void main(String[] args) throws Exception {
        Path seedFile = args[0].equals("seed-file") ? SeedFile.in(Path.of(args[1])) : Path.of("no-seed-file");
        SecretService service = new SecretService(seedFile, Clock.systemUTC(), Duration.ofHours(1), new SecureRandom());
        char[] secret = readLine();
        try {
            if (args[0].equals("seed-file")) {
                service.unlock(secret);
            } else {
                service.unlockWithMnemonic(secret, new char[0]);
            }
        } finally {
            Wipe.chars(secret);
        }
        service.deriveEd25519(KeyPaths.IDENTITY).close();
        service.deriveEd25519(KeyPaths.SSH_HOST_KEY).close();
        service.deriveSecp256k1(KeyPaths.ETHEREUM).close();
        byte[] password = service.derivePassword("github.com", 32);
        Wipe.bytes(password);
        byte[] plaintext = service.decrypt(service.encrypt("a credential".getBytes(StandardCharsets.UTF_8), 0));
        Wipe.bytes(plaintext);
        say("UNLOCKED");
        expect("lock");
        service.lock();
        say("LOCKED");
        expect("exit");
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    private static void expect(String command) throws IOException {
        char[] line = readLine();
        if (!new String(line).equals(command)) {
            throw new IllegalStateException("expected " + command);
        }
    }

    /** One ASCII line from stdin into a char[] the caller wipes, through no buffer but these. */
    private static char[] readLine() throws IOException {
        byte[] buffer = new byte[512];
        int length = 0;
        int next;
        while ((next = IN.read()) != -1 && next != '\n') {
            buffer[length++] = (byte) next;
        }
        char[] line = new char[length];
        for (int i = 0; i < length; i++) {
            line[i] = (char) buffer[i];
        }
        Wipe.bytes(buffer);
        return line;
    }
}
