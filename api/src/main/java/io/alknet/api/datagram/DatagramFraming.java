package io.alknet.api.datagram;

import java.net.InetAddress;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The framing of datagrams on a relay stream, and the address encoding it shares with SOCKS5 (RFC 1928).
 *
 * <pre>
 * frame   = length:uint16 body           length = size of body, big-endian
 * body    = atyp:uint8 address port:uint16 payload
 * atyp    = 1 (IPv4, 4 bytes) | 3 (name: len:uint8 + len ASCII bytes) | 4 (IPv6, 16 bytes)
 * </pre>
 *
 * A SOCKS5 UDP request header is {@code RSV(2) FRAG(1)} followed by exactly a {@code body}.
 */
public final class DatagramFraming {

    /** The largest payload of an IPv4 UDP datagram. */
    public static final int MAX_PAYLOAD = 65_507;
    /** The largest body a frame's 16-bit length can describe. */
    public static final int MAX_BODY = 0xffff;

    private DatagramFraming() {
    }

    /** Encodes one datagram as a frame (length prefix and body). */
    public static ByteBuffer encodeFrame(Datagram datagram) {
        ByteBuffer body = encodeBody(datagram, 0);
        if (body.remaining() > MAX_BODY) {
            throw new IllegalArgumentException("datagram too large for a frame: " + body.remaining() + " bytes");
        }
        ByteBuffer frame = ByteBuffer.allocate(2 + body.remaining());
        frame.putShort((short) body.remaining()).put(body).flip();
        return frame;
    }

    /**
     * Encodes a body with {@code headroom} zero bytes in front (3 for a SOCKS5 UDP header).
     *
     * @throws IllegalArgumentException when the payload or name is too large
     */
    public static ByteBuffer encodeBody(Datagram datagram, int headroom) {
        byte[] payload = datagram.payload();
        if (payload.length > MAX_PAYLOAD) {
            throw new IllegalArgumentException("datagram of " + payload.length + " bytes exceeds " + MAX_PAYLOAD);
        }
        byte[] address = addressBytes(datagram.host());
        ByteBuffer body = ByteBuffer.allocate(headroom + address.length + 2 + payload.length);
        body.position(headroom);
        body.put(address).putShort((short) datagram.port()).put(payload).flip();
        return body;
    }

    private static byte[] addressBytes(String host) {
        if (isIpLiteral(host)) {
            byte[] ip = InetAddress.ofLiteral(host).getAddress();
            ByteBuffer buffer = ByteBuffer.allocate(1 + ip.length);
            return buffer.put((byte) (ip.length == 4 ? 1 : 4)).put(ip).array();
        }
        byte[] name = host.getBytes(StandardCharsets.US_ASCII);
        if (name.length == 0 || name.length > 255) {
            throw new IllegalArgumentException("host name length " + name.length + " is not 1-255");
        }
        return ByteBuffer.allocate(2 + name.length).put((byte) 3).put((byte) name.length).put(name).array();
    }

    private static boolean isIpLiteral(String host) {
        try {
            InetAddress.ofLiteral(host);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Decodes a body (from its current position to its limit).
     *
     * @throws IllegalArgumentException when it is malformed (unknown address type, truncated, port 0)
     */
    public static Datagram decodeBody(ByteBuffer body) {
        try {
            int type = body.get() & 0xff;
            String host = switch (type) {
                case 1 -> ip(body, 4);
                case 4 -> ip(body, 16);
                case 3 -> {
                    int length = body.get() & 0xff;
                    if (length == 0) {
                        throw new IllegalArgumentException("empty host name");
                    }
                    byte[] name = new byte[length];
                    body.get(name);
                    yield new String(name, StandardCharsets.US_ASCII);
                }
                default -> throw new IllegalArgumentException("unknown address type " + type);
            };
            int port = body.getShort() & 0xffff;
            if (port == 0) {
                throw new IllegalArgumentException("port 0");
            }
            byte[] payload = new byte[body.remaining()];
            body.get(payload);
            return new Datagram(host, port, payload);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated datagram header");
        }
    }

    private static String ip(ByteBuffer body, int length) {
        byte[] address = new byte[length];
        body.get(address);
        try {
            return InetAddress.getByAddress(address).getHostAddress();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("bad address");
        }
    }

    /**
     * Cuts a byte stream into frames. Not thread-safe: feed it from one thread (a stream handler).
     */
    public static final class Decoder {
        private ByteBuffer pending = ByteBuffer.allocate(0);

        /**
         * Adds bytes and returns the complete frames' datagrams.
         *
         * @throws IllegalArgumentException on a malformed or oversized frame; the stream must be closed
         */
        public List<Datagram> feed(ByteBuffer data) {
            ByteBuffer combined = ByteBuffer.allocate(pending.remaining() + data.remaining());
            combined.put(pending).put(data).flip();
            List<Datagram> datagrams = new ArrayList<>();
            while (combined.remaining() >= 2) {
                int length = combined.getShort(combined.position()) & 0xffff;
                if (length > MAX_BODY || length < 4) {
                    throw new IllegalArgumentException("bad frame length " + length);
                }
                if (combined.remaining() < 2 + length) {
                    break;
                }
                combined.position(combined.position() + 2);
                ByteBuffer body = combined.slice(combined.position(), length);
                combined.position(combined.position() + length);
                datagrams.add(decodeBody(body));
            }
            pending = combined.slice();
            return datagrams;
        }
    }
}
