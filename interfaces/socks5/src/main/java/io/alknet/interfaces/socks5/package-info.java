/**
 * The SOCKS5 front end: a local proxy whose CONNECT requests become tunnel channels (names are resolved
 * by the server, never locally) and whose UDP ASSOCIATE relays datagrams over the tunnel. Entry point:
 * {@link io.alknet.interfaces.socks5.Socks5Plugin}.
 */
package io.alknet.interfaces.socks5;
