/**
 * Example third-party transport plugin: alknet over Unix-domain sockets, on the JDK alone (no Netty).
 *
 * <p>Drop the jar into the plugin directory of both ends ({@code --plugin-dir}), then listen and dial with
 * {@code unix://localhost?path=/run/alknet.sock} (quote it in a shell: {@code ?} is a glob character). The
 * port is ignored; the socket file's permissions (or its directory's) decide who may connect.
 * Entry point: {@link com.example.unixtransport.UnixTransportPlugin}; the stream semantics (ordering,
 * back-pressure, half-close) are described on {@link com.example.unixtransport.UnixStream}.
 */
package com.example.unixtransport;
