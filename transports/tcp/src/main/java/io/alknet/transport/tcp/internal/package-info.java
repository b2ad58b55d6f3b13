/** The tcp transport's implementation: the Netty transport, its settings and connect errors. Not for use outside this plugin. */
package io.alknet.transport.tcp.internal;
