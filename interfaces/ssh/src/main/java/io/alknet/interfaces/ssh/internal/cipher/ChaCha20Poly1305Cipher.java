package io.alknet.interfaces.ssh.internal.cipher;

import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.SshException;
import org.apache.sshd.common.cipher.Cipher;
import org.bouncycastle.crypto.Mac;
import org.bouncycastle.crypto.params.KeyParameter;

import javax.crypto.spec.ChaCha20ParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;

/**
 * {@code chacha20-poly1305@openssh.com} (OpenSSH's PROTOCOL.chacha20poly1305, draft-ietf-sshm-chacha20-poly1305)
 * on the JDK's ChaCha20, which HotSpot compiles to SIMD code, in place of MINA SSHD's pure-Java cipher.
 *
 * <p>The 64 key bytes are K_2 (the payload and the one-time Poly1305 key) and then K_1 (the 4-byte packet length).
 * The nonce of both is the packet sequence number. OpenSSH's ChaCha20 state holds a 64-bit block counter and a
 * 64-bit nonce (words 12-13 and 14-15), the JDK's RFC 8439 one a 32-bit counter and a 96-bit nonce (word 12 and
 * 13-15): with four zero bytes, the counter's high word, before the big-endian sequence number, the two agree for
 * every counter below 2^32, and an SSH packet needs blocks 0 and 1 onwards only. The JDK refuses to start twice
 * from the same key and nonce, so each packet starts K_2's stream once at block 0: its first 32 bytes key
 * Poly1305, the rest of the block is dropped, and the payload runs on from block 1. The tag is Poly1305 over the
 * encrypted length and payload, compared in constant time before anything is decrypted.
 *
 * <p>MINA calls {@link #updateAAD} with the 4 length bytes of each packet (on input as soon as they arrive, so
 * that it learns the length) and then {@link #update} with the rest. One instance serves one direction of one
 * session and is used by one thread at a time; not thread-safe.
 */
public final class ChaCha20Poly1305Cipher implements Cipher {

    public static final String NAME = "chacha20-poly1305@openssh.com";

    /** Creates this cipher for MINA's key exchange under OpenSSH's name. */
    public static final NamedFactory<Cipher> FACTORY = new NamedFactory<>() {
        @Override
        public Cipher create() {
            return new ChaCha20Poly1305Cipher();
        }

        @Override
        public String getName() {
            return NAME;
        }

        @Override
        public String toString() {
            return NAME;
        }
    };

    private static final String JDK_PROVIDER = "SunJCE";
    private static final int KEY_SIZE = 32;
    private static final int LENGTH_SIZE = 4;
    private static final int TAG_SIZE = 16;
    private static final byte[] ZERO_BLOCK = new byte[64];

    private final javax.crypto.Cipher payloadStream;
    private final javax.crypto.Cipher lengthStream;
    private final Mac poly1305;
    private final byte[] nonce = new byte[12];
    private final byte[] block0 = new byte[ZERO_BLOCK.length];
    private final byte[] expectedTag = new byte[TAG_SIZE];
    private final byte[] receivedTag = new byte[TAG_SIZE];
    private SecretKeySpec payloadKey;
    private SecretKeySpec lengthKey;
    private Mode mode;
    private long firstSequence;
    private long sequence;
    private boolean lengthDone;

    /** With alknet's {@link Poly1305}. */
    public ChaCha20Poly1305Cipher() {
        this(new Poly1305());
    }

    /** With the given Poly1305, which must take a 32-byte {@link KeyParameter} (BouncyCastle's, for comparison). */
    public ChaCha20Poly1305Cipher(Mac poly1305) {
        this.poly1305 = Objects.requireNonNull(poly1305, "poly1305");
        try {
            payloadStream = javax.crypto.Cipher.getInstance("ChaCha20", JDK_PROVIDER);
            lengthStream = javax.crypto.Cipher.getInstance("ChaCha20", JDK_PROVIDER);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no ChaCha20 cipher in " + JDK_PROVIDER, e);
        }
    }

    /**
     * @param key 64 bytes: K_2, then K_1
     * @param iv  the packet sequence number as a big-endian 64-bit number (MINA writes it there; it fits 32 bits)
     */
    @Override
    public void init(Mode mode, byte[] key, byte[] iv) {
        Objects.requireNonNull(mode, "mode");
        if (key.length < 2 * KEY_SIZE || iv.length < 8) {
            throw new IllegalArgumentException("chacha20-poly1305 needs 64 key bytes and an 8-byte sequence number");
        }
        long number = ((long) readInt(iv, 0) << 32) | (readInt(iv, 4) & 0xffffffffL);
        if ((number >>> 32) != 0) {
            throw new IllegalArgumentException("not an SSH packet sequence number: " + number);
        }
        this.mode = mode;
        payloadKey = new SecretKeySpec(key, 0, KEY_SIZE, "ChaCha20");
        lengthKey = new SecretKeySpec(key, KEY_SIZE, KEY_SIZE, "ChaCha20");
        firstSequence = number;
        sequence = number;
        lengthDone = false;
    }

    /** Encrypts or decrypts the 4-byte packet length in place and starts the packet's tag. */
    @Override
    public void updateAAD(byte[] data, int offset, int length) throws Exception {
        if (mode == null) {
            throw new IllegalStateException("cipher not initialized");
        }
        if (length != LENGTH_SIZE) {
            throw new IllegalArgumentException("the additional data of chacha20-poly1305 is the 4-byte packet length");
        }
        nonce[8] = (byte) (sequence >>> 24);
        nonce[9] = (byte) (sequence >>> 16);
        nonce[10] = (byte) (sequence >>> 8);
        nonce[11] = (byte) sequence;
        payloadStream.init(javax.crypto.Cipher.ENCRYPT_MODE, payloadKey, new ChaCha20ParameterSpec(nonce, 0));
        payloadStream.update(ZERO_BLOCK, 0, ZERO_BLOCK.length, block0, 0);
        if (poly1305 instanceof Poly1305 ours) {
            ours.init(block0, 0);
        } else {
            poly1305.init(new KeyParameter(block0, 0, Poly1305.KEY_SIZE));
        }
        Arrays.fill(block0, (byte) 0);
        if (mode == Mode.Decrypt) {
            poly1305.update(data, offset, LENGTH_SIZE);
        }
        lengthStream.init(javax.crypto.Cipher.ENCRYPT_MODE, lengthKey, new ChaCha20ParameterSpec(nonce, 0));
        lengthStream.update(data, offset, LENGTH_SIZE, data, offset);
        if (mode == Mode.Encrypt) {
            poly1305.update(data, offset, LENGTH_SIZE);
        }
        lengthDone = true;
    }

    /**
     * Encrypts the payload in place and writes the tag after it; or checks the tag after it and decrypts.
     *
     * @throws SshException with {@link SshConstants#SSH2_DISCONNECT_MAC_ERROR} for a wrong tag, the packet untouched
     */
    @Override
    public void update(byte[] data, int offset, int length) throws Exception {
        if (!lengthDone) {
            throw new IllegalStateException("chacha20-poly1305 processes the packet length (updateAAD) first");
        }
        lengthDone = false;
        if (mode == Mode.Decrypt) {
            poly1305.update(data, offset, length);
            poly1305.doFinal(expectedTag, 0);
            System.arraycopy(data, offset + length, receivedTag, 0, TAG_SIZE);
            if (!MessageDigest.isEqual(expectedTag, receivedTag)) {
                throw new SshException(SshConstants.SSH2_DISCONNECT_MAC_ERROR, "MAC Error");
            }
            payloadStream.update(data, offset, length, data, offset);
        } else {
            payloadStream.update(data, offset, length, data, offset);
            poly1305.update(data, offset, length);
            poly1305.doFinal(data, offset + length);
        }
        sequence = (sequence + 1) & 0xffffffffL;
        if (sequence == firstSequence) {
            throw new IllegalStateException("packet sequence number wrapped around without a new key");
        }
    }

    private static int readInt(byte[] bytes, int offset) {
        return ((bytes[offset] & 0xff) << 24) | ((bytes[offset + 1] & 0xff) << 16)
                | ((bytes[offset + 2] & 0xff) << 8) | (bytes[offset + 3] & 0xff);
    }

    /** Starts with "ChaCha": MINA then puts the packet sequence number into the IV it passes to {@link #init}. */
    @Override
    public String getAlgorithm() {
        return "ChaCha20";
    }

    @Override
    public String getTransformation() {
        return "ChaCha20";
    }

    @Override
    public int getIVSize() {
        return 8;
    }

    @Override
    public int getAuthenticationTagSize() {
        return TAG_SIZE;
    }

    @Override
    public int getCipherBlockSize() {
        return 8;
    }

    @Override
    public int getKdfSize() {
        return 2 * KEY_SIZE;
    }

    @Override
    public int getKeySize() {
        return 8 * 2 * KEY_SIZE;
    }

    @Override
    public String toString() {
        return NAME;
    }
}
