/**
 * Example third-party transport plugin: alknet over Unix-domain sockets, on the JDK and alknet's stream support
 * library (no Netty). Drop the jar into the plugin directory of both ends ({@code --plugin-dir}), then listen and dial
 * with {@code unix://localhost?path=/run/alknet.sock} (quote it in a shell: {@code ?} is a glob character); the socket
 * file's permissions decide who may connect. Entry point: {@link com.example.unixtransport.UnixTransportPlugin}.
 */
package com.example.unixtransport;
