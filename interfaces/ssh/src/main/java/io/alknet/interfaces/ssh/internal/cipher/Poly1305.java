package io.alknet.interfaces.ssh.internal.cipher;

import org.bouncycastle.crypto.CipherParameters;
import org.bouncycastle.crypto.Mac;
import org.bouncycastle.crypto.params.KeyParameter;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Poly1305 (RFC 8439 section 2.5) with the accumulator in two 64-bit limbs plus a few bits, so that a 16-byte
 * block costs four 64x64-bit products whose high halves {@link Math#unsignedMultiplyHigh} computes in one
 * instruction on x86-64 and AArch64. It is hand-written because it is the one part of
 * {@code chacha20-poly1305@openssh.com} that neither the JDK (its Poly1305 is not exported) nor a library makes
 * fast: BouncyCastle's Poly1305, which this one is tested against, uses 26-bit limbs and 25 products per block and
 * runs at a fraction of the speed ({@code bench/jmh} CipherBenchmark). The arithmetic is OpenSSL's 64-bit
 * {@code poly1305_blocks}/{@code poly1305_emit}.
 *
 * <p>Constant time: no branch and no memory index depends on the key or on the message, only on its length.
 * It implements BouncyCastle's {@link Mac} so that either implementation fits {@link ChaCha20Poly1305Cipher}.
 * Not thread-safe.
 */
public final class Poly1305 implements Mac {

    /** Key bytes: the clamped multiplier r, then the final addend s. */
    public static final int KEY_SIZE = 32;
    public static final int TAG_SIZE = 16;
    private static final int BLOCK_SIZE = 16;
    private static final VarHandle LITTLE_ENDIAN_LONG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private long r0;
    private long r1;
    /** r1 * 5 / 4, exact because clamping clears the two low bits of r1: folds 2^128 back as 5/4 (2^130 = 5 mod p). */
    private long s1;
    private long pad0;
    private long pad1;
    private long h0;
    private long h1;
    private long h2;
    private final byte[] partial = new byte[BLOCK_SIZE];
    private int partialLength;
    private boolean keyed;

    /** Keys the authenticator with {@code key[offset..offset+32)} (r, then s) and forgets any message so far. */
    public void init(byte[] key, int offset) {
        r0 = (long) LITTLE_ENDIAN_LONG.get(key, offset) & 0x0ffffffc0fffffffL;
        r1 = (long) LITTLE_ENDIAN_LONG.get(key, offset + 8) & 0x0ffffffc0ffffffcL;
        s1 = r1 + (r1 >>> 2);
        pad0 = (long) LITTLE_ENDIAN_LONG.get(key, offset + 16);
        pad1 = (long) LITTLE_ENDIAN_LONG.get(key, offset + 24);
        keyed = true;
        reset();
    }

    @Override
    public void init(CipherParameters params) {
        if (!(params instanceof KeyParameter keyParameter) || keyParameter.getKeyLength() != KEY_SIZE) {
            throw new IllegalArgumentException("Poly1305 needs a 32-byte KeyParameter");
        }
        init(keyParameter.getKey(), 0);
    }

    @Override
    public String getAlgorithmName() {
        return "Poly1305";
    }

    @Override
    public int getMacSize() {
        return TAG_SIZE;
    }

    @Override
    public void update(byte in) {
        update(new byte[] {in}, 0, 1);
    }

    @Override
    public void update(byte[] in, int offset, int length) {
        if (!keyed) {
            throw new IllegalStateException("Poly1305 is not keyed");
        }
        if (partialLength > 0) {
            int take = Math.min(BLOCK_SIZE - partialLength, length);
            System.arraycopy(in, offset, partial, partialLength, take);
            partialLength += take;
            offset += take;
            length -= take;
            if (partialLength < BLOCK_SIZE) {
                return;
            }
            blocks(partial, 0, BLOCK_SIZE, 1);
            partialLength = 0;
        }
        int whole = length & -BLOCK_SIZE;
        if (whole > 0) {
            blocks(in, offset, whole, 1);
        }
        int rest = length - whole;
        if (rest > 0) {
            System.arraycopy(in, offset + whole, partial, 0, rest);
            partialLength = rest;
        }
    }

    /** Writes the 16-byte tag at {@code out[offset]} and starts a new message under the same key. */
    @Override
    public int doFinal(byte[] out, int offset) {
        if (!keyed) {
            throw new IllegalStateException("Poly1305 is not keyed");
        }
        if (partialLength > 0) {
            // a short last block is padded with a single 1 byte, and gets no 2^128 bit
            partial[partialLength] = 1;
            Arrays.fill(partial, partialLength + 1, BLOCK_SIZE, (byte) 0);
            blocks(partial, 0, BLOCK_SIZE, 0);
        }
        // h is below 2p here: h - p = h + 5 - 2^130 is the answer exactly when h + 5 reaches bit 130
        long g0 = h0 + 5;
        long carry = carry(h0, 5, g0);
        long g1 = h1 + carry;
        carry = carry(h1, carry, g1);
        long g2 = h2 + carry;
        long useG = -(g2 >>> 2);
        long f0 = (h0 & ~useG) | (g0 & useG);
        long f1 = (h1 & ~useG) | (g1 & useG);
        long t0 = f0 + pad0;
        long t1 = f1 + pad1 + carry(f0, pad0, t0);
        LITTLE_ENDIAN_LONG.set(out, offset, t0);
        LITTLE_ENDIAN_LONG.set(out, offset + 8, t1);
        reset();
        return TAG_SIZE;
    }

    @Override
    public void reset() {
        h0 = 0;
        h1 = 0;
        h2 = 0;
        partialLength = 0;
        Arrays.fill(partial, (byte) 0);
    }

    /** h = (h + m) * r mod 2^130 - 5 (partly reduced) for each 16-byte block m of {@code in[offset..offset+length)}. */
    private void blocks(byte[] in, int offset, int length, long highBit) {
        long r0 = this.r0;
        long r1 = this.r1;
        long s1 = this.s1;
        long h0 = this.h0;
        long h1 = this.h1;
        long h2 = this.h2;
        for (int end = offset + length; offset < end; offset += BLOCK_SIZE) {
            long m0 = (long) LITTLE_ENDIAN_LONG.get(in, offset);
            long m1 = (long) LITTLE_ENDIAN_LONG.get(in, offset + 8);
            long sum = h0 + m0;
            long carry = carry(h0, m0, sum);
            h0 = sum;
            sum = h1 + m1 + carry;
            carry = carry(h1, m1, sum);
            h1 = sum;
            h2 += carry + highBit;

            // d0 = h0*r0 + h1*s1, d1 = h0*r1 + h1*r0 + h2*s1, d2 = h2*r0. r0, r1 < 2^60 and h2 <= 6, so d0 < 2^126,
            // d1 < 2^125, h2*s1 < 2^63 and d2 < 2^63
            long d0 = h0 * r0;
            long d0High = Math.unsignedMultiplyHigh(h0, r0);
            long product = h1 * s1;
            sum = d0 + product;
            d0High += Math.unsignedMultiplyHigh(h1, s1) + carry(d0, product, sum);
            d0 = sum;

            long d1 = h0 * r1;
            long d1High = Math.unsignedMultiplyHigh(h0, r1);
            product = h1 * r0;
            sum = d1 + product;
            d1High += Math.unsignedMultiplyHigh(h1, r0) + carry(d1, product, sum);
            d1 = sum;
            product = h2 * s1;
            sum = d1 + product;
            d1High += carryOfSmall(d1, sum);
            d1 = sum;
            long d2 = h2 * r0;

            h0 = d0;
            h1 = d1 + d0High;
            h2 = d2 + d1High + carryOfSmall(d1, h1);

            // fold the bits from 2^130 up back in times 5; h2 ends at most 4, a 2^130 left is taken next round
            carry = (h2 >>> 2) + (h2 & ~3L);
            h2 &= 3;
            sum = h0 + carry;
            carry = carry(h0, carry, sum);
            h0 = sum;
            sum = h1 + carry;
            h2 += carryOfSmall(h1, sum);
            h1 = sum;
        }
        this.h0 = h0;
        this.h1 = h1;
        this.h2 = h2;
    }

    /**
     * The carry out of the unsigned 64-bit addition {@code sum = a + b} or {@code sum = a + b + 1}, without a branch
     * (C2 compiles {@code Long.compareUnsigned} to one).
     */
    private static long carry(long a, long b, long sum) {
        return ((a & b) | ((a | b) & ~sum)) >>> 63;
    }

    /** {@link #carry} when b < 2^63. */
    private static long carryOfSmall(long a, long sum) {
        return (a & ~sum) >>> 63;
    }
}
