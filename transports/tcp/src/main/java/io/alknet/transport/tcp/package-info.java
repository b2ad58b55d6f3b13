/**
 * The {@code tcp} transport: plain TCP connections on Netty. Entry point: {@link io.alknet.transport.tcp.TcpPlugin}.
 */
package io.alknet.transport.tcp;
