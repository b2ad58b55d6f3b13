/** The keys identity provider's implementation: authorized_keys, certificates, tokens and source patterns. Not for use outside this plugin. */
package io.alknet.auth.keys.internal;
