/**
 * Layer 2, the interface ports. A {@link io.alknet.api.iface.StreamInterface} (SSH, raw framing) turns a
 * transport stream into a session, on the server through {@link io.alknet.api.iface.ServerContext} and on
 * the client as a {@link io.alknet.api.iface.TunnelSession}; a {@link io.alknet.api.iface.MessageInterface}
 * (HTTP) owns its listener and answers requests.
 */
package io.alknet.api.iface;
