/** The ssh interface's implementation: its factory, settings and the MINA SSHD glue below. Not for use outside this plugin. */
package io.alknet.interfaces.ssh.internal;
