/** A library shared by the interfaces that carry the call protocol: envelopes as length-prefixed JSON frames. */
package io.alknet.call;
