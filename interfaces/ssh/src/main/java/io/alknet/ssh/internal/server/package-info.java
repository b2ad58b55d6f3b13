/**
 * The SSH server half: MINA configuration, public-key authentication through the kernel's identity
 * chain, policy-gated {@code direct-tcpip} and {@code tcpip-forward}.
 */
package io.alknet.ssh.internal.server;
