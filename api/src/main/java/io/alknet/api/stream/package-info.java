/**
 * The duplex byte stream every layer meets on: {@link io.alknet.api.stream.TransportStream}. Transports
 * produce it, interfaces consume it, tunnel channels are exposed as it, and {@link io.alknet.api.stream.Splice}
 * joins two of them.
 */
package io.alknet.api.stream;
