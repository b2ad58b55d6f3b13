package io.alknet.api.policy;

/** Which way a forward goes, seen from the server. */
public enum Direction {
    /** The client asks the server to connect out to a target ({@code -L}, SOCKS5, {@code direct-tcpip}). */
    LOCAL,
    /** The client asks the server to listen and send connections back ({@code -R}, {@code tcpip-forward}). */
    REMOTE
}
