/**
 * The {@code ssh} stream interface on Apache MINA SSHD. Entry point: {@link io.alknet.interfaces.ssh.SshPlugin}.
 * {@link io.alknet.interfaces.ssh.OpenSshKeys} reads and writes OpenSSH key files for the CLI.
 */
package io.alknet.interfaces.ssh;
