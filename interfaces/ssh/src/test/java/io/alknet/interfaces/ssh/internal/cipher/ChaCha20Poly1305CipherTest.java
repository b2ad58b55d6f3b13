package io.alknet.interfaces.ssh.internal.cipher;

import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.SshException;
import org.apache.sshd.common.cipher.ChaCha20Cipher;
import org.apache.sshd.common.cipher.Cipher;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link ChaCha20Poly1305Cipher} against the worked example of draft-ietf-sshm-chacha20-poly1305-04 (appendix A,
 * which OpenSSH's PROTOCOL.chacha20poly1305 now points to), against MINA SSHD's own implementation on random
 * packets, and with tampered packets. The real OpenSSH is the peer in integration-tests' OpenSshInteropTest.
 */
class ChaCha20Poly1305CipherTest {

    private static final HexFormat HEX = HexFormat.of();
    /** draft-ietf-sshm-chacha20-poly1305-04 appendix A: key material (K_2 then K_1), sequence number 7. */
    private static final byte[] DRAFT_KEY = HEX.parseHex("8bbff6855fc102338c373e73aac0c914f076a905b2444a32eecaffeae22becc5"
            + "e9b7a7a5825a8249346ec1c28301cf394543fc7569887d76e168f37562ac0740");
    private static final long DRAFT_SEQUENCE = 7;
    private static final byte[] DRAFT_PLAIN = HEX.parseHex("00000048065e00000000000000384c6f72656d20697073756d20646f6c6f7220"
            + "73697420616d65742c20636f6e73656374657475722061646970697369636" + "96e6720656c69744e43e804dc6c");
    private static final byte[] DRAFT_SENT = HEX.parseHex("2c3ecce4a5bc05895bf07a7ba956b6c68829ac7c83b780b7000ecde745afc705"
            + "bbc378ce03a280236b87b53bed5839662302b164b6286a48cd1e097138e3cb90"
            + "9b8b2b829dd18d2a35ff82d995349e855bf02c298ef775f2d1a7e8b8");

    @Test
    void sealsTheDraftsWorkedExample() throws Exception {
        Cipher cipher = init(new ChaCha20Poly1305Cipher(), Cipher.Mode.Encrypt, DRAFT_KEY, DRAFT_SEQUENCE);
        assertThat(HEX.formatHex(seal(cipher, DRAFT_PLAIN))).isEqualTo(HEX.formatHex(DRAFT_SENT));
    }

    @Test
    void opensTheDraftsWorkedExample() throws Exception {
        Cipher cipher = init(new ChaCha20Poly1305Cipher(), Cipher.Mode.Decrypt, DRAFT_KEY, DRAFT_SEQUENCE);
        byte[] packet = DRAFT_SENT.clone();
        cipher.updateAAD(packet, 0, 4);
        assertThat(Arrays.copyOf(packet, 4)).as("the length, decrypted on its own").isEqualTo(Arrays.copyOf(DRAFT_PLAIN, 4));
        cipher.update(packet, 4, DRAFT_PLAIN.length - 4);
        assertThat(Arrays.copyOf(packet, DRAFT_PLAIN.length)).isEqualTo(DRAFT_PLAIN);
    }

    @Test
    void sealsAndOpensLikeMinasCipherOnRandomPackets() throws Exception {
        Random random = new Random(8439);
        // the last start crosses the sequence number's wrap from 2^32 - 1 to 0
        for (long first : new long[] {0, 3, 0xffffffffL - 20}) {
            byte[] key = new byte[64];
            random.nextBytes(key);
            Cipher ours = init(new ChaCha20Poly1305Cipher(), Cipher.Mode.Encrypt, key, first);
            Cipher withBouncyCastle = init(new ChaCha20Poly1305Cipher(new org.bouncycastle.crypto.macs.Poly1305()),
                    Cipher.Mode.Encrypt, key, first);
            Cipher mina = init(new ChaCha20Cipher(), Cipher.Mode.Encrypt, key, first);
            Cipher oursOpening = init(new ChaCha20Poly1305Cipher(), Cipher.Mode.Decrypt, key, first);
            Cipher minaOpening = init(new ChaCha20Cipher(), Cipher.Mode.Decrypt, key, first);
            for (int i = 0; i < 40; i++) {
                byte[] plain = packet(random, i % 4 == 0 ? 32_768 + 40 : 8 + 8 * random.nextInt(2_000));
                byte[] sealed = seal(ours, plain);
                assertThat(sealed).as("packet %d after %d", i, first).isEqualTo(seal(mina, plain)).isEqualTo(seal(withBouncyCastle, plain));
                assertThat(open(oursOpening, sealed)).isEqualTo(plain);
                assertThat(open(minaOpening, sealed)).isEqualTo(plain);
            }
        }
    }

    @Test
    void aTamperedPacketIsRefusedWithAMacErrorBeforeItIsDecrypted() throws Exception {
        Random random = new Random(5);
        byte[] key = new byte[64];
        random.nextBytes(key);
        byte[] plain = packet(random, 1_000);
        byte[] sealed = seal(init(new ChaCha20Poly1305Cipher(), Cipher.Mode.Encrypt, key, 9), plain);
        assertThat(open(init(new ChaCha20Poly1305Cipher(), Cipher.Mode.Decrypt, key, 9), sealed)).as("untouched").isEqualTo(plain);
        // the length, the payload's first, middle and last byte, the tag's first and last byte
        for (int at : new int[] {1, 4, 500, plain.length - 1, plain.length, sealed.length - 1}) {
            byte[] tampered = sealed.clone();
            tampered[at] ^= 0x10;
            Cipher opening = init(new ChaCha20Poly1305Cipher(), Cipher.Mode.Decrypt, key, 9);
            opening.updateAAD(tampered, 0, 4);
            byte[] received = tampered.clone();
            assertThatThrownBy(() -> opening.update(tampered, 4, plain.length - 4)).as("a bit flipped at %d", at)
                    .isInstanceOf(SshException.class)
                    .satisfies(e -> assertThat(((SshException) e).getDisconnectCode()).isEqualTo(SshConstants.SSH2_DISCONNECT_MAC_ERROR));
            assertThat(tampered).as("left encrypted").isEqualTo(received);
        }
    }

    @Test
    void aPacketOpenedUnderAnotherSequenceNumberIsRefused() throws Exception {
        byte[] key = new byte[64];
        new Random(6).nextBytes(key);
        byte[] plain = packet(new Random(6), 64);
        byte[] sealed = seal(init(new ChaCha20Poly1305Cipher(), Cipher.Mode.Encrypt, key, 41), plain);
        Cipher opening = init(new ChaCha20Poly1305Cipher(), Cipher.Mode.Decrypt, key, 42);
        assertThatThrownBy(() -> open(opening, sealed)).isInstanceOf(SshException.class).hasMessage("MAC Error");
    }

    @Test
    void thePayloadWaitsForTheLength() throws Exception {
        Cipher cipher = init(new ChaCha20Poly1305Cipher(), Cipher.Mode.Encrypt, DRAFT_KEY, 0);
        assertThatThrownBy(() -> cipher.update(new byte[40], 4, 20)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> init(new ChaCha20Poly1305Cipher(), Cipher.Mode.Encrypt, DRAFT_KEY, 1L << 32))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** A packet whose first four bytes are its length, as SSH's binary packet protocol has it. */
    private static byte[] packet(Random random, int length) {
        byte[] packet = new byte[4 + length];
        random.nextBytes(packet);
        packet[0] = (byte) (length >>> 24);
        packet[1] = (byte) (length >>> 16);
        packet[2] = (byte) (length >>> 8);
        packet[3] = (byte) length;
        return packet;
    }

    /** As MINA's AbstractSession seals and opens: MINA puts the sequence number into the first 8 bytes of the IV. */
    private static Cipher init(Cipher cipher, Cipher.Mode mode, byte[] key, long sequence) throws Exception {
        byte[] iv = new byte[8];
        for (int i = 0; i < 8; i++) {
            iv[i] = (byte) (sequence >>> (56 - 8 * i));
        }
        cipher.init(mode, key, iv);
        return cipher;
    }

    private static byte[] seal(Cipher cipher, byte[] plain) throws Exception {
        byte[] packet = Arrays.copyOf(plain, plain.length + cipher.getAuthenticationTagSize());
        cipher.updateWithAAD(packet, 0, 4, plain.length - 4);
        return packet;
    }

    private static byte[] open(Cipher cipher, byte[] sealed) throws Exception {
        byte[] packet = sealed.clone();
        int length = packet.length - 4 - cipher.getAuthenticationTagSize();
        cipher.updateAAD(packet, 0, 4);
        cipher.update(packet, 4, length);
        return Arrays.copyOf(packet, 4 + length);
    }
}
