/**
 * The {@code apikey} identity provider: API keys ({@code alk_…}) held as salted SHA-256 hashes in a key
 * file that {@code alknet apikey create|list|revoke} manages, compared in constant time, each with its
 * scopes and expiry. Entry point: {@link io.alknet.auth.apikey.ApiKeyPlugin}; {@link io.alknet.auth.apikey.ApiKeys}
 * reads and writes key files for the CLI.
 */
package io.alknet.auth.apikey;
