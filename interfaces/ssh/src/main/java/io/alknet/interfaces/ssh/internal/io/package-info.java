/**
 * MINA SSHD's I/O layer over alknet transport streams: MINA never opens the session socket itself.
 * Only the port-forwarding sockets MINA opens for {@code tcpip-forward} stay on its NIO2 service.
 */
package io.alknet.interfaces.ssh.internal.io;
