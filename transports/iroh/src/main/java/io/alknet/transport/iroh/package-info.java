/** The {@code iroh} transport plugin: SSH over iroh peer-to-peer QUIC, through Panama FFM onto the Rust iroh crate. */
package io.alknet.transport.iroh;
