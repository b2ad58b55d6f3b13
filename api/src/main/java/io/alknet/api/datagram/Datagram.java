package io.alknet.api.datagram;

import java.util.Arrays;
import java.util.Objects;

/**
 * One UDP datagram and its far-end address: the destination when sent into a relay, the source when
 * received from it.
 *
 * @param host    a host name or an IP literal (IPv6 without brackets)
 * @param port    1-65535
 * @param payload the datagram's bytes
 */
public record Datagram(String host, int port, byte[] payload) {

    public Datagram {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        payload = payload.clone();
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    /** The payload size without copying it. */
    public int size() {
        return payload.length;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Datagram that && host.equals(that.host) && port == that.port && Arrays.equals(payload, that.payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(host, port, Arrays.hashCode(payload));
    }

    /** Never prints the address: it is a tunnel destination. */
    @Override
    public String toString() {
        return "Datagram[" + payload.length + " bytes]";
    }
}
