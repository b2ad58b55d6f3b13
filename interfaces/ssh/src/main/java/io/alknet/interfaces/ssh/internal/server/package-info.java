/**
 * The SSH server half: MINA configuration, public-key authentication through the kernel's identity
 * chain, policy-gated {@code direct-tcpip} and {@code tcpip-forward}.
 */
package io.alknet.interfaces.ssh.internal.server;
