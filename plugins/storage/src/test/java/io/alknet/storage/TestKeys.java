package io.alknet.storage;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import io.alknet.storage.internal.SshPublicKey;

import java.util.Base64;
import java.util.Random;

/** Ed25519 public keys for tests: real SSH wire encodings of 32 seeded bytes (no private key needed to store one). */
final class TestKeys {

    private TestKeys() {
    }

    static byte[] blob(int seed) {
        byte[] key = new byte[32];
        new Random(seed).nextBytes(key);
        byte[] type = "ssh-ed25519".getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(4 + type.length + 4 + 32).putInt(type.length).put(type).putInt(32).put(key).array();
    }

    static String line(int seed, String comment) {
        return "ssh-ed25519 " + Base64.getEncoder().encodeToString(blob(seed)) + " " + comment;
    }

    static String fingerprint(int seed) {
        return SshPublicKey.fingerprint(blob(seed));
    }
}
