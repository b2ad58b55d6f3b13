/**
 * The SSH client half: MINA client configuration, host-key verification without trust-on-first-use, and
 * the tunnel session that opens channels.
 */
package io.alknet.interfaces.ssh.internal.client;
