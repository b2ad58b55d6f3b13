/**
 * The {@code raw} stream interface: the call protocol as length-prefixed JSON envelopes, no SSH. Entry point:
 * {@link io.alknet.interfaces.raw.RawPlugin}.
 */
package io.alknet.interfaces.raw;
