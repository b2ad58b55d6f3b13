/**
 * The {@code ssh} stream interface on Apache MINA SSHD. Entry point: {@link io.alknet.ssh.SshPlugin}.
 * {@link io.alknet.ssh.OpenSshKeys} reads and writes OpenSSH key files for the CLI.
 */
package io.alknet.ssh;
