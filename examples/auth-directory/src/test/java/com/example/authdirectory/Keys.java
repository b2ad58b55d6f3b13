package com.example.authdirectory;

import java.security.MessageDigest;
import java.util.Base64;
import java.util.Random;

/** Fake SSH keys for tests: a blob and its fingerprint, as the SSH interface computes it. */
final class Keys {

    private Keys() {
    }

    static byte[] blob(long seed) {
        byte[] blob = new byte[51];
        new Random(seed).nextBytes(blob);
        return blob;
    }

    static String fingerprint(byte[] blob) throws Exception {
        return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256").digest(blob));
    }
}
