/**
 * Who a peer is. Inbound: an {@link io.alknet.api.identity.IdentityProvider} turns a
 * {@link io.alknet.api.identity.Credential} into an {@link io.alknet.api.Identity}. Outbound: a
 * {@link io.alknet.api.identity.CredentialProvider} hands out the credentials alknet presents to others.
 */
package io.alknet.api.identity;
