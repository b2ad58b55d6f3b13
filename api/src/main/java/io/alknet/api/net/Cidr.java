package io.alknet.api.net;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Objects;

/**
 * An IP network such as {@code 10.0.0.0/8} or {@code fe80::/10}. A bare address is a /32 or /128.
 *
 * @param network   the network address with host bits cleared
 * @param prefixLength the number of leading bits that must match
 */
public record Cidr(InetAddress network, int prefixLength) {

    public Cidr {
        Objects.requireNonNull(network, "network");
        int bits = network.getAddress().length * 8;
        if (prefixLength < 0 || prefixLength > bits) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " out of range 0-" + bits);
        }
        network = mask(network, prefixLength);
    }

    /**
     * Parses {@code address[/bits]} (IPv6 optionally in brackets). The address is read as
     * {@link TargetHost} reads it: ambiguous numeric forms such as {@code 010.0.0.0} are refused.
     *
     * @throws AlknetException {@code INVALID_ARGUMENT} naming the text
     */
    public static Cidr parse(String text) {
        String value = text.strip();
        int slash = value.indexOf('/');
        String address = slash < 0 ? value : value.substring(0, slash);
        InetAddress network;
        try {
            network = TargetHost.literal(address).orElse(null);
        } catch (AlknetException e) {
            throw new AlknetException(ErrorCode.INVALID_ARGUMENT, "'" + text + "' is not an IP address or CIDR block: " + e.getMessage());
        }
        if (network == null) {
            throw new AlknetException(ErrorCode.INVALID_ARGUMENT, "'" + text + "' is not an IP address or CIDR block");
        }
        try {
            int bits = network.getAddress().length * 8;
            int prefix = slash < 0 ? bits : Integer.parseInt(value.substring(slash + 1));
            return new Cidr(network, prefix);
        } catch (IllegalArgumentException e) {
            throw new AlknetException(ErrorCode.INVALID_ARGUMENT, "'" + text + "' is not an IP address or CIDR block");
        }
    }

    /** True if {@code text} is an IP literal (no DNS involved) in a spelling {@link TargetHost} accepts. */
    public static boolean isIpLiteral(String text) {
        return TargetHost.isLiteral(text);
    }

    /**
     * True if {@code address} lies in this network. IPv4 addresses embedded in IPv6 (mapped
     * {@code ::ffff:a.b.c.d}, compatible {@code ::a.b.c.d}, NAT64 {@code 64:ff9b::a.b.c.d}) are also
     * compared as the IPv4 address they carry, so a v4 rule cannot be bypassed by a v6 spelling.
     */
    public boolean contains(InetAddress address) {
        Objects.requireNonNull(address, "address");
        if (sameFamilyContains(address)) {
            return true;
        }
        InetAddress embedded = embeddedIpv4(address);
        return embedded != null && sameFamilyContains(embedded);
    }

    private boolean sameFamilyContains(InetAddress address) {
        byte[] candidate = address.getAddress();
        if (candidate.length != network.getAddress().length) {
            return false;
        }
        return Arrays.equals(mask(address, prefixLength).getAddress(), network.getAddress());
    }

    /** The IPv4 address an IPv6 address carries (mapped, compatible or NAT64), or {@code null}. */
    public static InetAddress embeddedIpv4(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return null;
        }
        byte[] b = address.getAddress();
        boolean zeroPrefix = true;
        for (int i = 0; i < 10; i++) {
            zeroPrefix &= b[i] == 0;
        }
        boolean mapped = zeroPrefix && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
        boolean compatible = zeroPrefix && b[10] == 0 && b[11] == 0 && !allZero(b, 12, 16) && !isLoopbackTail(b);
        boolean nat64 = (b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b
                && allZero(b, 4, 12);
        if (!mapped && !compatible && !nat64) {
            return null;
        }
        try {
            return Inet4Address.getByAddress(Arrays.copyOfRange(b, 12, 16));
        } catch (java.net.UnknownHostException e) {
            return null;
        }
    }

    private static boolean allZero(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean isLoopbackTail(byte[] b) {
        return b[12] == 0 && b[13] == 0 && b[14] == 0 && b[15] == 1;
    }

    private static InetAddress mask(InetAddress address, int prefixLength) {
        byte[] bytes = address.getAddress();
        for (int i = 0; i < bytes.length; i++) {
            int keep = Math.max(0, Math.min(8, prefixLength - i * 8));
            bytes[i] &= (byte) (0xff << (8 - keep));
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return network.getHostAddress() + "/" + prefixLength;
    }
}
