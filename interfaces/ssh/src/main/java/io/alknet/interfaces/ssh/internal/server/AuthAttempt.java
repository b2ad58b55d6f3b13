package io.alknet.interfaces.ssh.internal.server;

import io.alknet.api.identity.Credential;
import io.alknet.api.identity.IdentityResolution;

/** The last key the client offered and what the identity chain said of it. */
record AuthAttempt(Credential credential, IdentityResolution resolution) {
}
