/** The {@code tls} transport plugin. */
package io.alknet.transport.tls;
