/** Crypto plumbing of the secret plugin (wiping, UTF-8, PBKDF2, HKDF/AES-GCM, secp256k1, the word list); not an API. */
package io.alknet.secret.internal;
