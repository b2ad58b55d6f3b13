/**
 * SSH ciphers alknet gives MINA SSHD in place of its own: {@link io.alknet.interfaces.ssh.internal.cipher.ChaCha20Poly1305Cipher}
 * ({@code chacha20-poly1305@openssh.com} on the JDK's intrinsified ChaCha20).
 */
package io.alknet.interfaces.ssh.internal.cipher;
