package io.alknet.api.call;

/**
 * Where the call protocol rides (spec: pubsub / control channel): inside SSH, a {@code direct-tcpip}
 * channel to the reserved host {@value #HOST} port {@value #PORT}, which the server bridges to its call
 * protocol instead of dialling; the whole {@value #RESERVED_PREFIX} host prefix is reserved and never
 * dialled. Every carrier frames envelopes the same way: a 4-byte unsigned big-endian length, then that many
 * bytes of UTF-8 JSON.
 */
public final class ControlChannel {

    /** The reserved {@code direct-tcpip} host of the control channel. */
    public static final String HOST = "alknet-control";
    /** The reserved port of the control channel. */
    public static final int PORT = 0;
    /** Hosts with this prefix are alknet's own and are never dialled. */
    public static final String RESERVED_PREFIX = "alknet-";
    /** The default largest frame body accepted, in bytes; larger frames are skipped and answered with {@code PROTOCOL_ERROR}. */
    public static final int DEFAULT_MAX_FRAME = 1 << 20;

    private ControlChannel() {
    }

    /** True for hosts alknet reserves ({@code alknet-*}, any case). */
    public static boolean isReserved(String host) {
        return host.regionMatches(true, 0, RESERVED_PREFIX, 0, RESERVED_PREFIX.length());
    }
}
