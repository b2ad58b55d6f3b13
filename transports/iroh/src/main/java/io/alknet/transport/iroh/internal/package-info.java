/** The iroh transport's implementation: the FFM binding ({@link io.alknet.transport.iroh.internal.Native}) and the streams. */
package io.alknet.transport.iroh.internal;
