/**
 * Datagrams over a tunnel: the {@link io.alknet.api.datagram.Datagram} value and the
 * {@link io.alknet.api.datagram.DatagramFraming} that carries a sequence of them over one duplex stream
 * (the UDP relay channel). The wire format is documented in {@code docs/udp-over-ssh.md}.
 */
package io.alknet.api.datagram;
