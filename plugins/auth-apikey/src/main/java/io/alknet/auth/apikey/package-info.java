/**
 * The {@code apikey} identity provider: API keys ({@code alk_…}) held as salted SHA-256 hashes in a key
 * file that {@code alknet apikey create|list|revoke} manages, compared in constant time, each with its
 * scopes and expiry.
 */
package io.alknet.auth.apikey;
