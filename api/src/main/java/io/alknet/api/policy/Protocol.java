package io.alknet.api.policy;

/** What a forward carries. */
public enum Protocol {
    /** A TCP byte stream ({@code direct-tcpip}, {@code tcpip-forward}, SOCKS5 CONNECT). */
    TCP,
    /** UDP datagrams (SOCKS5 UDP ASSOCIATE over the relay channel). */
    UDP
}
