/**
 * Example third-party transport plugin: alknet over Unix-domain sockets, on the JDK and alknet's stream support library
 * (no Netty). Drop the jar into both ends' {@code --plugin-dir}. Entry point: {@link com.example.unixtransport.UnixTransportPlugin}.
 */
package com.example.unixtransport;
