/**
 * The {@code secret} plugin: the only holder of the seed (spec services.md section 7). {@link io.alknet.secret.Mnemonic}
 * (BIP39) and {@link io.alknet.secret.Slip10} derive keys, {@link io.alknet.secret.SecretService} holds the seed
 * between Unlock and Lock, {@link io.alknet.secret.SeedFile} keeps it encrypted at rest, and
 * {@link io.alknet.secret.SecretOperations} serves it over the call protocol. The entry point is
 * {@link io.alknet.secret.SecretPlugin}.
 */
package io.alknet.secret;
