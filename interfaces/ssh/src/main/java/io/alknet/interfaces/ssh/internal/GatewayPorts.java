package io.alknet.interfaces.ssh.internal;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;

import java.util.Locale;

/**
 * Where a remote forward ({@code tcpip-forward}, {@code ssh -R}) listens, as OpenSSH's {@code GatewayPorts}
 * (sshd_config(5)) decides it. The forwarding policy then decides whether that address and port may be
 * used at all.
 */
public enum GatewayPorts {

    /**
     * Loopback only, whatever address the client asks for: the default, like OpenSSH's {@code no}, which listens on
     * both loopback addresses (127.0.0.1 and ::1) unless the client named ::1.
     */
    NO,
    /** Every interface, whatever address the client asks for, like OpenSSH's {@code yes}. */
    YES,
    /** The address the client asks for ({@code ""} and {@code *} mean every interface), like {@code clientspecified}. */
    CLIENT_SPECIFIED;

    /** What the server's remote listeners take for "127.0.0.1 and ::1, on the same port" (ServerContext#listenRemote). */
    public static final String LOOPBACK = "localhost";

    /**
     * Reads {@code no}, {@code yes} or {@code clientspecified} (and {@code false}/{@code true}, {@code off}/{@code on}).
     *
     * @throws AlknetException {@code INVALID_CONFIG} naming the accepted values
     */
    public static GatewayPorts parse(String text) {
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "no", "false", "off" -> NO;
            case "yes", "true", "on" -> YES;
            case "clientspecified" -> CLIENT_SPECIFIED;
            default -> throw new AlknetException(ErrorCode.INVALID_CONFIG, "setting 'interface.ssh.gateway-ports' is '" + text
                    + "'; expected no (loopback only, the default), yes (every interface) or clientspecified (as the client asks)");
        };
    }

    /**
     * The address to listen on when a client asks for {@code requested}; {@link #LOOPBACK} is both loopback addresses,
     * as {@code localhost} is to OpenSSH.
     */
    public String bindAddress(String requested) {
        String host = requested.startsWith("[") && requested.endsWith("]") ? requested.substring(1, requested.length() - 1) : requested;
        boolean ipv6 = host.indexOf(':') >= 0;
        return switch (this) {
            // OpenSSH keeps an explicit ::1 so that a client may prefer IPv6 loopback; everything else is both
            case NO -> host.equals("::1") ? "::1" : LOOPBACK;
            case YES -> ipv6 ? "::" : "0.0.0.0";
            case CLIENT_SPECIFIED -> switch (host) {
                case "", "*" -> "0.0.0.0";
                case "localhost" -> LOOPBACK;
                default -> host;
            };
        };
    }
}
