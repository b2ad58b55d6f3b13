package io.alknet.bench;

import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.apache.sshd.common.cipher.Cipher;
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
 * Sealing one SSH packet with each cipher alknet offers, as MINA SSHD does it (AAD = the 4-byte length,
 * then the payload, then the tag). This is why alknet puts AES-GCM first: with AES-NI it is several times
 * faster than the pure-Java ChaCha20-Poly1305 that MINA's default order would pick.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CipherBenchmark {

    @Param({"aes128-gcm@openssh.com", "aes256-gcm@openssh.com", "chacha20-poly1305@openssh.com"})
    public String cipher;

    /** Payload bytes per packet: 32 KiB is what a bulk channel sends per SSH_MSG_CHANNEL_DATA. */
    @Param({"32768"})
    public int payload;

    private Cipher sealer;
    private byte[] packet;
    private int length;

    @Setup
    public void setUp() throws Exception {
        BuiltinCiphers factory = BuiltinCiphers.fromFactoryName(cipher);
        sealer = factory.create();
        SecureRandom random = new SecureRandom();
        byte[] key = new byte[sealer.getKdfSize()];
        byte[] iv = new byte[sealer.getIVSize()]; // all zero: ChaCha20 takes the packet sequence number here
        random.nextBytes(key);
        sealer.init(Cipher.Mode.Encrypt, key, iv);
        length = 4 + payload;
        packet = new byte[length + sealer.getAuthenticationTagSize()];
        random.nextBytes(packet);
    }

    @Benchmark
    public byte[] sealPacket() throws Exception {
        sealer.updateWithAAD(packet, 0, 4, payload);
        return packet;
    }
}
