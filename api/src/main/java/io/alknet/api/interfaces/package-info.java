/**
 * Layer 2, the interface ports. A {@link io.alknet.api.interfaces.StreamInterface} (SSH, raw framing) turns a
 * transport stream into a session, on the server through {@link io.alknet.api.interfaces.ServerContext} and on
 * the client as a {@link io.alknet.api.interfaces.TunnelSession}; a {@link io.alknet.api.interfaces.MessageInterface}
 * (HTTP) owns its listener and answers requests.
 */
package io.alknet.api.interfaces;
