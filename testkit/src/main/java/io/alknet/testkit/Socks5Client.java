package io.alknet.testkit;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The client side of SOCKS5 (RFC 1928) over a plain socket, for tests that play the application: CONNECT
 * by name or address, and the raw replies so tests can check each reply code.
 */
public final class Socks5Client {

    private Socks5Client() {
    }

    /** Connects through the proxy at 127.0.0.1:{@code proxyPort} to {@code host:port} (sent as a name). */
    public static Socket connect(int proxyPort, String host, int port) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxyPort);
        socket.setSoTimeout(30_000);
        int status = handshake(socket, host, port);
        if (status != 0) {
            socket.close();
            throw new IOException("SOCKS5 reply " + status);
        }
        return socket;
    }

    /** Sends greeting (no auth) and a CONNECT for a domain name; returns the reply code (0 = success). */
    public static int handshake(Socket socket, String host, int port) throws IOException {
        OutputStream out = socket.getOutputStream();
        byte[] name = host.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer request = ByteBuffer.allocate(3 + 5 + name.length + 2)
                .put(new byte[] {5, 1, 0})
                .put(new byte[] {5, 1, 0, 3, (byte) name.length}).put(name).putShort((short) port);
        out.write(request.array());
        out.flush();
        DataInputStream in = new DataInputStream(socket.getInputStream());
        byte[] method = new byte[2];
        in.readFully(method);
        if (method[0] != 5 || method[1] != 0) {
            throw new IOException("unexpected method selection " + method[0] + "," + method[1]);
        }
        return readReply(in);
    }

    /**
     * Sends greeting and UDP ASSOCIATE on {@code control}; returns the relay address from a successful
     * reply, or throws with the reply code.
     */
    public static java.net.InetSocketAddress udpAssociate(Socket control) throws IOException {
        OutputStream out = control.getOutputStream();
        out.write(new byte[] {5, 1, 0, 5, 3, 0, 1, 0, 0, 0, 0, 0, 0});
        out.flush();
        DataInputStream in = new DataInputStream(control.getInputStream());
        byte[] method = new byte[2];
        in.readFully(method);
        byte[] head = new byte[4];
        in.readFully(head);
        if (head[1] != 0) {
            throw new IOException("SOCKS5 reply " + (head[1] & 0xff));
        }
        byte[] address = new byte[head[3] == 4 ? 16 : 4];
        in.readFully(address);
        int port = in.readUnsignedShort();
        return new java.net.InetSocketAddress(InetAddress.getByAddress(address), port);
    }

    /** A SOCKS5 UDP datagram: RSV, FRAG, and the destination as an IPv4 address. */
    public static byte[] udpDatagram(InetAddress destination, int port, byte[] payload, int fragment) {
        byte[] ip = destination.getAddress();
        return ByteBuffer.allocate(3 + 1 + ip.length + 2 + payload.length)
                .put(new byte[] {0, 0, (byte) fragment}).put((byte) (ip.length == 4 ? 1 : 4)).put(ip)
                .putShort((short) port).put(payload).array();
    }

    /** Reads a SOCKS5 reply and returns its code; the bound address is skipped. */
    public static int readReply(DataInputStream in) throws IOException {
        byte[] head = new byte[4];
        in.readFully(head);
        int skip = switch (head[3]) {
            case 1 -> 4;
            case 4 -> 16;
            case 3 -> in.readUnsignedByte();
            default -> throw new IOException("bad address type in reply: " + head[3]);
        };
        in.readFully(new byte[skip + 2]);
        return head[1] & 0xff;
    }
}
