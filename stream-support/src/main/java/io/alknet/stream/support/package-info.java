/**
 * A library for transport authors (not a plugin; JDK and {@code alknet-api} only): extend
 * {@link io.alknet.stream.support.AbstractTransportStream} (or {@link io.alknet.stream.support.AbstractByteBufferStream})
 * and supply the transport's primitives, queue accepted streams in an {@link io.alknet.stream.support.AcceptQueue},
 * or wrap blocking streams and channels with {@link io.alknet.stream.support.BlockingStream}.
 */
package io.alknet.stream.support;
