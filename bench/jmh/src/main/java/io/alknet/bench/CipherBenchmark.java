package io.alknet.bench;

import io.alknet.interfaces.ssh.internal.cipher.ChaCha20Poly1305Cipher;
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
 * then the payload, then the tag).
 *
 * <p>{@code chacha20-poly1305@openssh.com} is alknet's cipher on the JDK's ChaCha20 with alknet's Poly1305
 * (what alknet negotiates); {@code /bc-poly1305} is the same with BouncyCastle's Poly1305, {@code /mina} MINA
 * SSHD's pure-Java cipher that alknet replaced.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CipherBenchmark {

    @Param({"aes128-gcm@openssh.com", "aes256-gcm@openssh.com", "chacha20-poly1305@openssh.com",
            "chacha20-poly1305@openssh.com/bc-poly1305", "chacha20-poly1305@openssh.com/mina"})
    public String cipher;

    /** Payload bytes per packet: 32 KiB is what a bulk channel sends per SSH_MSG_CHANNEL_DATA; 256 shows the cost per packet. */
    @Param({"32768", "256"})
    public int payload;

    private Cipher sealer;
    private byte[] packet;

    @Setup
    public void setUp() throws Exception {
        sealer = switch (cipher) {
            case "chacha20-poly1305@openssh.com" -> new ChaCha20Poly1305Cipher();
            case "chacha20-poly1305@openssh.com/bc-poly1305" ->
                    new ChaCha20Poly1305Cipher(new org.bouncycastle.crypto.macs.Poly1305());
            case "chacha20-poly1305@openssh.com/mina" -> BuiltinCiphers.cc20p1305_openssh.create();
            default -> BuiltinCiphers.fromFactoryName(cipher).create();
        };
        SecureRandom random = new SecureRandom();
        byte[] key = new byte[sealer.getKdfSize()];
        byte[] iv = new byte[sealer.getIVSize()]; // all zero: ChaCha20 takes the packet sequence number here
        random.nextBytes(key);
        sealer.init(Cipher.Mode.Encrypt, key, iv);
        packet = new byte[4 + payload + sealer.getAuthenticationTagSize()];
        random.nextBytes(packet);
    }

    @Benchmark
    public byte[] sealPacket() throws Exception {
        sealer.updateWithAAD(packet, 0, 4, payload);
        return packet;
    }
}
