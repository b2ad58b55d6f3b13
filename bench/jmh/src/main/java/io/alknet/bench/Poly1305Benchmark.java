package io.alknet.bench;

import io.alknet.interfaces.ssh.internal.cipher.Poly1305;
import org.apache.sshd.common.mac.Poly1305Mac;
import org.bouncycastle.crypto.Mac;
import org.bouncycastle.crypto.params.KeyParameter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.security.SecureRandom;

/**
 * The Poly1305 under chacha20-poly1305@openssh.com on its own, over one bulk packet: alknet's (64-bit limbs and
 * {@code Math.unsignedMultiplyHigh}), BouncyCastle's and MINA SSHD's (both 26-bit limbs).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class Poly1305Benchmark {

    @Param({"alknet", "bouncycastle", "mina"})
    public String poly1305;

    @Param({"32768"})
    public int length;

    private Mac mac;
    private Poly1305Mac minaMac;
    private byte[] key;
    private byte[] message;
    private final byte[] tag = new byte[16];

    @Setup
    public void setUp() {
        SecureRandom random = new SecureRandom();
        key = new byte[32];
        message = new byte[length];
        random.nextBytes(key);
        random.nextBytes(message);
        switch (poly1305) {
            case "alknet" -> mac = new Poly1305();
            case "bouncycastle" -> mac = new org.bouncycastle.crypto.macs.Poly1305();
            case "mina" -> minaMac = new Poly1305Mac();
            default -> throw new IllegalArgumentException(poly1305);
        }
    }

    @Benchmark
    public byte[] authenticate() throws Exception {
        if (minaMac != null) {
            minaMac.init(key);
            minaMac.update(message, 0, message.length);
            minaMac.doFinal(tag, 0);
        } else {
            mac.init(new KeyParameter(key));
            mac.update(message, 0, message.length);
            mac.doFinal(tag, 0);
        }
        return tag;
    }
}
