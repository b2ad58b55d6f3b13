/**
 * The {@code keys} identity provider: Ed25519 public keys in OpenSSH {@code authorized_keys} format.
 * Entry point: {@link io.alknet.auth.keys.KeysPlugin}.
 */
package io.alknet.auth.keys;
