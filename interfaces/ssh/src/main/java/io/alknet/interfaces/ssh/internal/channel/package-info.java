/**
 * Tunnel channels ({@code direct-tcpip}, {@code forwarded-tcpip}) exposed as alknet transport streams,
 * with SSH window flow control mapped onto {@code pauseReading}/{@code resumeReading}.
 */
package io.alknet.interfaces.ssh.internal.channel;
