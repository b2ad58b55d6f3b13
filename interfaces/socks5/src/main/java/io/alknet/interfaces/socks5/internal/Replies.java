package io.alknet.interfaces.socks5.internal;

import io.alknet.api.AlknetException;
import io.alknet.api.ErrorCode;
import io.netty.handler.codec.socksx.v5.DefaultSocks5CommandResponse;
import io.netty.handler.codec.socksx.v5.Socks5AddressType;
import io.netty.handler.codec.socksx.v5.Socks5CommandResponse;
import io.netty.handler.codec.socksx.v5.Socks5CommandStatus;

/** SOCKS5 reply codes for tunnel outcomes (RFC 1928 section 6). */
final class Replies {

    private Replies() {
    }

    /** The reply for a failed channel open. */
    static Socks5CommandStatus statusFor(Throwable error) {
        ErrorCode code = AlknetException.codeOf(error, ErrorCode.CONNECTION_FAILED);
        return switch (code) {
            case FORWARD_DENIED, QUOTA_EXCEEDED -> Socks5CommandStatus.FORBIDDEN;
            case TARGET_REFUSED -> Socks5CommandStatus.CONNECTION_REFUSED;
            case TARGET_NETWORK_UNREACHABLE -> Socks5CommandStatus.NETWORK_UNREACHABLE;
            case TARGET_UNREACHABLE, TARGET_UNRESOLVED -> Socks5CommandStatus.HOST_UNREACHABLE;
            case TARGET_TIMEOUT -> Socks5CommandStatus.TTL_EXPIRED;
            default -> Socks5CommandStatus.FAILURE;
        };
    }

    /** A reply with the unspecified bound address {@code 0.0.0.0:0}. */
    static Socks5CommandResponse reply(Socks5CommandStatus status) {
        return new DefaultSocks5CommandResponse(status, Socks5AddressType.IPv4, "0.0.0.0", 0);
    }
}
