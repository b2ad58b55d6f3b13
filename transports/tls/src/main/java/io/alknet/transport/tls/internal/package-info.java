/** The tls transport's implementation: TLS 1.3 on Netty, ACME certificates and the stealth listener. Not for use outside this plugin. */
package io.alknet.transport.tls.internal;
