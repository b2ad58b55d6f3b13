/** The SOCKS5 front end's implementation: the Netty listener, the RFC 1928/1929 handshake and UDP associations. Not for use outside this plugin. */
package io.alknet.interfaces.socks5.internal;
