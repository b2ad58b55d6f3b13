/**
 * Netty adapters shared by the Netty-based plugins (a library, not a plugin): a
 * {@link io.alknet.api.stream.TransportStream} over a Netty channel ({@link io.alknet.netty.NettyTransportStream}, on the
 * stream support library's base)
 * and reference-counted shared event loops ({@link io.alknet.netty.EventLoops}).
 */
package io.alknet.netty;
