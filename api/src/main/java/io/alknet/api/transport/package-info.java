/**
 * Layer 1, the transport port. A plugin contributes a {@link io.alknet.api.transport.TransportFactory};
 * the kernel creates one {@link io.alknet.api.transport.Transport} per scheme and uses it to dial and to
 * listen.
 */
package io.alknet.api.transport;
