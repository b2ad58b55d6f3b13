package io.alknet.secret.internal;

import java.util.Arrays;

/** Overwrites secret arrays before they are dropped (best effort on the JVM: see docs/secret.md). */
public final class Wipe {

    private Wipe() {
    }

    public static void bytes(byte[]... arrays) {
        for (byte[] array : arrays) {
            if (array != null) {
                Arrays.fill(array, (byte) 0);
            }
        }
    }

    public static void chars(char[]... arrays) {
        for (char[] array : arrays) {
            if (array != null) {
                Arrays.fill(array, '\0');
            }
        }
    }
}
